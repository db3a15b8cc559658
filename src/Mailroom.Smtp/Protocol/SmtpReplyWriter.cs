using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Mailroom.Smtp.Protocol;

/// <summary>
/// Formats replies (RFC 5321 §4.2) straight into the output pipe. Nothing is flushed here:
/// the session flushes once per batch of pipelined commands (RFC 2920 §3).
/// </summary>
internal static class SmtpReplyWriter
{
    /// <summary>Writes <c>code[-| ]enhanced text CRLF</c>; <paramref name="enhancedCode"/> may be empty.</summary>
    public static void Write(PipeWriter writer, int code, string enhancedCode, string text, bool isLast = true)
    {
        var max = 3 + 1 + enhancedCode.Length + 1 + Encoding.UTF8.GetMaxByteCount(text.Length) + 2;
        var span = writer.GetSpan(max);
        span[0] = (byte)('0' + code / 100 % 10);
        span[1] = (byte)('0' + code / 10 % 10);
        span[2] = (byte)('0' + code % 10);
        span[3] = isLast ? (byte)' ' : (byte)'-';
        var written = 4;
        if (enhancedCode.Length > 0)
        {
            written += Encoding.ASCII.GetBytes(enhancedCode, span[written..]);
            span[written++] = (byte)' ';
        }

        written += Encoding.UTF8.GetBytes(SanitizeText(text), span[written..]);
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        writer.Advance(written);
    }

    public static void Write(PipeWriter writer, SmtpResponse response) =>
        Write(writer, response.Code, response.EnhancedCode, response.Text);

    /// <summary>A CR or LF in a sink's text would forge extra reply lines.</summary>
    private static string SanitizeText(string text) =>
        text.AsSpan().IndexOfAny('\r', '\n') < 0 ? text : text.Replace('\r', ' ').Replace('\n', ' ');
}
