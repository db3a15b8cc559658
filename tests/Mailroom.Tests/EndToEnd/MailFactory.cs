using MimeKit;

namespace Mailroom.Tests.EndToEnd;

internal static class MailFactory
{
    public static MimeMessage Simple(string to, string subject, string text = "Hello from the outside world.", string from = "alice@example.com", string fromName = "Alice Example")
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(fromName, from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("example.com");
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    public static byte[] Random(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
