using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Accounts.Watching;

/// <summary>
/// A provider that behaves as Outlook does with submitted mail: it replaces the Message-ID (a
/// Postfix header check on the submission path, one new id per message) and files the message,
/// as the recipients got it, in the sender's Sent folder itself. Mail from outside is untouched.
/// </summary>
public sealed class RewritingMailFixture : WatchMailFixture
{
    /// <summary>Where the provider's ids are from: <c>rewritten-…@provider.test</c>.</summary>
    public const string RewrittenDomain = "provider.test";

    protected override Task<MailServer> StartAsync(IEnumerable<(string User, string Password)> users) => MailServer.StartAsync(users,
        headerChecks: $"/^Message-ID:[[:space:]]*<([^@>]+)@[^>]*>/ REPLACE Message-ID: <rewritten-$1@{RewrittenDomain}>\n",
        filesSentCopies: true);
}
