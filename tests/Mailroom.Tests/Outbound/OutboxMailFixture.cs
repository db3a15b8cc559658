using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Outbound;

/// <summary>
/// The provider the outbox tests send through: Dovecot submission advertising SIZE 1 MB in EHLO,
/// relayed to a Postfix that refuses unknown users of its domain at RCPT time (550 5.1.1), as a
/// real provider does.
/// </summary>
public sealed class OutboxMailFixture : IAsyncLifetime
{
    public const string MiaPassword = "mia-mailbox-secret";
    public const string MaxPassword = "max-mailbox-secret";
    public const long SizeLimit = 1024 * 1024;

    public MailServer Mail { get; private set; } = null!;

    public async Task InitializeAsync() => Mail = await MailServer.StartAsync([("mia", MiaPassword), ("max", MaxPassword)],
        dovecotSettings: $"submission_max_mail_size = {SizeLimit}",
        postfixSettings: "local_recipient_maps = inline:{ mia@mail.test=ok, max@mail.test=ok }");

    public async Task DisposeAsync() => await Mail.DisposeAsync();

    public object Custom(string user, string password, string? sendAsName = null) => Mail.CustomAccount(user, password, sendAsName);
}
