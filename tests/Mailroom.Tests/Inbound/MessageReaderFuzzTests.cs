using System.Text;
using Mailroom.Inbound;

namespace Mailroom.Tests.Inbound;

/// <summary>
/// Whatever arrives on the SMTP port reaches the reader: it must always answer, and answer
/// without falling back on its last-resort catch (which would hide a real parsing bug).
/// Seeds are fixed so a failure can be replayed.
/// </summary>
public class MessageReaderFuzzTests
{
    private static readonly string[] Kinds = ["message", "auto-reply", "bounce", "malformed"];

    private readonly MessageReader _reader = new(64 * 1024);

    [Fact]
    public void RandomBuffers_AlwaysGiveAnAnswer()
    {
        var random = new Random(20250304);
        var alphabet = Encoding.ASCII.GetBytes("From: a@b\r\nSubject:=?utf-8?B?Q29udGVudC1UeXBlOg==?=\n--b\r\n: ;\"<>@\t ");
        for (var i = 0; i < 200; i++)
        {
            var buffer = new byte[random.Next(0, 4096)];
            if (i % 2 == 0)
            {
                random.NextBytes(buffer);
            }
            else
            {
                // Bytes that look like mail syntax reach deeper into the parser than noise does.
                for (var j = 0; j < buffer.Length; j++)
                {
                    buffer[j] = alphabet[random.Next(alphabet.Length)];
                }
            }

            AssertAnswers(buffer, $"random buffer {i}");
        }
    }

    [Fact]
    public void TruncatedAndCorruptedFixtures_AlwaysGiveAnAnswer()
    {
        var random = new Random(1991);
        foreach (var row in EmailFixtures.MessageRows)
        {
            foreach (var raw in EmailFixtures.RawMessages(row.Path))
            {
                for (var i = 0; i < 4; i++)
                {
                    var cut = random.Next(0, raw.Length + 1);
                    AssertAnswers(raw[..cut], $"{row.Path} cut at {cut}");
                }

                var corrupted = (byte[])raw.Clone();
                for (var i = 0; i < 1 + corrupted.Length / 200; i++)
                {
                    corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
                }

                AssertAnswers(corrupted, $"{row.Path} corrupted");
            }
        }
    }

    [Fact]
    public void HostileStructures_AlwaysGiveAnAnswer()
    {
        var deepMultipart = new StringBuilder("From: a@example.com\r\n");
        for (var i = 0; i < 2000; i++)
        {
            deepMultipart.Append($"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n");
        }

        var deepMessages = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            deepMessages.Append("From: a@example.com\r\nContent-Type: message/rfc822\r\n\r\n");
        }

        string[] cases =
        [
            deepMultipart.ToString(),
            deepMessages.ToString(),
            "From: a@example.com\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n\u00ff\u00fe text",
            "From: a@example.com\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!====QUJD====",
            "From: a@example.com\r\nContent-Type: multipart/mixed\r\n\r\nno boundary parameter",
            "From: " + new string('<', 10_000) + "\r\n\r\nbody",
            "From: a@example.com\r\nSubject: " + string.Concat(Enumerable.Repeat("=?x?Q?a?= ", 5000)) + "\r\n\r\nbody",
            "From: a@example.com\r\nContent-Type: text/html\r\n\r\n" + string.Concat(Enumerable.Repeat("<blockquote><ul><li><table><tr><td>", 5000)),
        ];
        foreach (var text in cases)
        {
            AssertAnswers(Encoding.UTF8.GetBytes(text), text[..Math.Min(60, text.Length)]);
        }
    }

    private void AssertAnswers(byte[] raw, string what)
    {
        var read = _reader.Read(raw);

        Assert.True(Kinds.Contains(read.Kind), $"{what}: kind {read.Kind}");
        Assert.False(
            read.Reason.StartsWith("could not be read", StringComparison.Ordinal),
            $"{what}: the reader needed its last-resort catch: {read.Reason}");
    }
}
