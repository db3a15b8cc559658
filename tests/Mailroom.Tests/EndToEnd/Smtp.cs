using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mailroom.Tests.EndToEnd;

internal static class Smtp
{
    public static async Task SendAsync(int port, MimeMessage message)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }
}
