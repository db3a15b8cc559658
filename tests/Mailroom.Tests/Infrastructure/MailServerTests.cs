using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MimeKit;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// The mail provider the connected-mailbox tests stand on: what a member's mail client would see
/// (submission with a password delivers to the recipient, IMAP shows it with its headers, the
/// Sent folder is advertised), and the provider-side events the tests provoke (UIDVALIDITY reset).
/// </summary>
public class MailServerTests
{
    [Fact]
    public async Task SubmittedMail_ReachesTheRecipientsInbox_AndUidValidityCanBeReset()
    {
        await using var mail = await MailServer.StartAsync([("alice", "alice-secret"), ("bob", "bob-secret")]);

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(mail.Address("alice")));
        message.To.Add(MailboxAddress.Parse(mail.Address("bob")));
        message.Subject = "Quarterly figures";
        message.MessageId = "figures-1@mail.test";
        message.Body = new TextPart("plain") { Text = "See attached." };
        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", mail.SubmissionPort, MailKit.Security.SecureSocketOptions.None);
            await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => smtp.AuthenticateAsync(mail.Address("alice"), "wrong"));
            await smtp.AuthenticateAsync(mail.Address("alice"), "alice-secret");
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }

        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", mail.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync(mail.Address("bob"), "bob-secret");
        Assert.True(imap.Capabilities.HasFlag(ImapCapabilities.Idle));
        Assert.NotNull(imap.GetFolder(SpecialFolder.Sent));
        var inbox = imap.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        IList<UniqueId> found;
        while ((found = await inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", "figures-1@mail.test"))).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            await inbox.CheckAsync();
        }
        Assert.True(found.Count == 1, $"Not delivered:\n{mail.MailLog}\n{mail.DovecotLog}");
        var received = await inbox.GetMessageAsync(found[0]);
        Assert.Equal("Quarterly figures", received.Subject);
        var before = inbox.UidValidity;
        await inbox.CloseAsync();
        await imap.DisconnectAsync(true);

        await mail.ChangeUidValidityAsync("bob", before + 1000);
        using var again = new ImapClient();
        await again.ConnectAsync("127.0.0.1", mail.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await again.AuthenticateAsync(mail.Address("bob"), "bob-secret");
        await again.Inbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(before + 1000, again.Inbox.UidValidity);
    }
}
