using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mailroom.Browser.Tests.Infrastructure;

/// <summary>Sends mail to the server's SMTP port the way any mail client would.</summary>
public static class Mail
{
    public static async Task SendAsync(int port, MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        try
        {
            await smtp.SendAsync(message);
        }
        finally
        {
            await smtp.DisconnectAsync(quit: true);
        }
    }

    public static MimeMessage Create(string from, string fromName, string to, string subject, string body, string attachmentName, byte[] attachment, params (string Name, byte[] Content)[] more)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(fromName, from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        var builder = new BodyBuilder { TextBody = body };
        builder.Attachments.Add(attachmentName, attachment, new ContentType("text", "plain"));
        foreach (var (name, content) in more)
        {
            builder.Attachments.Add(name, content, new ContentType("application", "octet-stream"));
        }
        message.Body = builder.ToMessageBody();
        return message;
    }
}
