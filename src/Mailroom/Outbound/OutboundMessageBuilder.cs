using Mailroom.Storage;
using MimeKit;

namespace Mailroom.Outbound;

/// <summary>
/// Makes the MIME message of an outbox email: multipart/alternative (plain text, then the HTML)
/// in a multipart/mixed with the attachments, the generated Message-ID, the thread's
/// In-Reply-To/References, and <c>X-Mailroom-Outbox</c> so the copy in Sent can be found again.
/// Nothing reports opens: no tracking pixel, links left as written.
/// </summary>
public sealed class OutboundMessageBuilder(BlobStore blobs, TimeProvider clock)
{
    /// <summary>The header naming the outbox row on every message sent (and on its Sent copy).</summary>
    public const string OutboxHeader = "X-Mailroom-Outbox";

    /// <summary>The footer line of every email sent from a task, unless the plan allows removing it and the workspace did (B3).</summary>
    public const string WatermarkText = "Sent using Mailroom";

    /// <summary>The footer as the plain-text part ends.</summary>
    public const string TextFooter = "\n\n" + WatermarkText + "\n";

    /// <summary>The footer as the HTML part ends: one small paragraph, nothing a sanitiser would strip, no link, no image.</summary>
    public const string HtmlFooter = "<p><small>" + WatermarkText + "</small></p>";

    /// <summary>A new message each call (its attachment streams are read once); the caller disposes it.</summary>
    public MimeMessage Build(OutboundEmail email, bool watermark)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(email.FromName, email.FromAddress));
        message.To.AddRange(email.To.Select(MailboxAddress.Parse));
        message.Cc.AddRange(email.Cc.Select(MailboxAddress.Parse));
        message.Bcc.AddRange(email.Bcc.Select(MailboxAddress.Parse));
        message.Subject = email.Subject;
        message.Date = clock.GetUtcNow();
        message.MessageId = email.MessageId;
        if (email.InReplyTo is { } inReplyTo)
        {
            message.InReplyTo = inReplyTo;
        }
        foreach (var reference in email.References)
        {
            message.References.Add(reference);
        }
        message.Headers.Add(OutboxHeader, email.Id.ToString());

        var alternative = new MultipartAlternative
        {
            new TextPart("plain") { Text = watermark ? email.BodyText.TrimEnd() + TextFooter : email.BodyText },
            new TextPart("html") { Text = watermark ? email.BodyHtml + HtmlFooter : email.BodyHtml },
        };
        if (email.Attachments.Count == 0)
        {
            message.Body = alternative;
            return message;
        }
        var mixed = new Multipart("mixed") { alternative };
        foreach (var attachment in email.Attachments.OrderBy(a => a.Id))
        {
            mixed.Add(new MimePart(ContentType.TryParse(attachment.ContentType, out var type) ? type : new ContentType("application", "octet-stream"))
            {
                Content = new MimeContent(blobs.OpenRead(attachment.BlobHash)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = attachment.FileName,
            });
        }
        message.Body = mixed;
        return message;
    }

    /// <summary>
    /// A size the message will not exceed once encoded (RFC 1870 counts the message as sent):
    /// attachments in base64 (4/3, plus a line break every 76 characters), the two body parts as
    /// if base64 too (quoted-printable of text is smaller) with the watermark's footer whether or
    /// not it is shown (the plan may change before a scheduled email leaves), and headers and boundaries.
    /// </summary>
    public static long EncodedSize(long textBytes, long htmlBytes, IEnumerable<long> attachmentSizes, int headerBytes) =>
        Base64(textBytes + TextFooter.Length) + Base64(htmlBytes + HtmlFooter.Length) + attachmentSizes.Sum(s => Base64(s) + 400) + headerBytes + 2048;

    private static long Base64(long bytes)
    {
        var encoded = (bytes + 2) / 3 * 4;
        return encoded + (encoded + 75) / 76 * 2;
    }
}
