using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Accounts;

/// <summary>One real provider (Dovecot IMAP + submission) for every test of a class: starting it takes longer than the tests.</summary>
public sealed class MailServerFixture : IAsyncLifetime
{
    public const string MiaPassword = "mia-mailbox-secret";
    public const string MaxPassword = "max-mailbox-secret";

    public MailServer Mail { get; private set; } = null!;

    public async Task InitializeAsync() => Mail = await MailServer.StartAsync([("mia", MiaPassword), ("max", MaxPassword)]);

    public async Task DisposeAsync() => await Mail.DisposeAsync();

    /// <summary>A Custom account on the fixture's plain-text ports, as a member would type it.</summary>
    public object Custom(string user, string password, int? imapPort = null, string host = "127.0.0.1", string? sendAsName = null,
        int? smtpPort = null, string imapSecurity = "None") => new
    {
        provider = "Custom",
        email = Mail.Address(user),
        password,
        sendAsName,
        imapHost = host,
        imapPort = imapPort ?? Mail.ImapPort,
        imapSecurity,
        smtpHost = host,
        smtpPort = smtpPort ?? Mail.SubmissionPort,
        smtpSecurity = "None",
    };
}
