using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using MimeKit;
using MimeKit.Text;
using MimeKit.Tnef;

namespace Mailroom.Inbound;

/// <summary>
/// Reads a raw email (RFC 5322 / MIME, RFC 2045–2049) with MimeKit into a <see cref="ReadMessage"/>:
/// who sent it, what it says as plain text, its sanitised HTML, its attachments, and whether it is
/// an ordinary message, an automatic reply, a delivery report or unreadable.
/// </summary>
/// <remarks>
/// <see cref="Read"/> never throws: whatever arrives on the SMTP port ends up here, and one
/// hostile message must not stop the inbound queue. Parsing is lenient (a message with a sender
/// and some content but broken MIME is still a message); <c>malformed</c> is kept for mail
/// with nothing to attribute it to.
/// </remarks>
/// <param name="maxAttachmentSize">Largest attachment kept, in bytes (A2: 5 MB); larger ones are listed as left out.</param>
/// <param name="automaticMailAllowList">
/// Sender addresses whose automatic mail is welcome (e.g. a monitoring system with
/// <c>Auto-Submitted: auto-generated</c>): their auto-replies are read as ordinary messages.
/// Bounces stay bounces whoever sends them.
/// </param>
/// <param name="limits">Where reading stops spending on a message (see <see cref="ReadLimits"/>); the defaults when null.</param>
public sealed class MessageReader(long maxAttachmentSize, IEnumerable<string>? automaticMailAllowList = null, ReadLimits? limits = null)
{
    private readonly ReadLimits _limits = limits ?? ReadLimits.Default;

    private readonly HashSet<string> _allowList = new(
        (automaticMailAllowList ?? []).Select(a => a.Trim()),
        StringComparer.OrdinalIgnoreCase);

    static MessageReader() => Charsets.Register();

    /// <summary>Largest attachment kept, in bytes; see <see cref="ReadAttachment.Kept"/>.</summary>
    public long MaxAttachmentSize { get; } = maxAttachmentSize;

    /// <summary>Reads one message. Never throws; unreadable input comes back as <c>malformed</c>.</summary>
    public ReadMessage Read(ReadOnlyMemory<byte> raw, CancellationToken cancellationToken = default)
    {
        // Not disposed: the attachments read from it later (a MemoryStream holds nothing else).
        return Read(OpenStream(raw, 0), cancellationToken);
    }

    /// <summary>
    /// Reads one message from a seekable stream (a blob's file) in MimeKit's persistent mode: part
    /// contents stay in the stream rather than being copied into memory, so the stream must stay
    /// open while the result's attachments are opened. Never throws but for cancellation.
    /// </summary>
    public ReadMessage Read(Stream stream, CancellationToken cancellationToken = default)
    {
        try
        {
            return ReadCore(stream, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A MimeKit or sanitiser bug on some input must cost one message, not the queue.
            return Malformed($"could not be read ({ex.GetType().Name}: {ex.Message})");
        }
    }

    private ReadMessage ReadCore(Stream raw, CancellationToken cancellationToken)
    {
        var start = HeaderStart(raw);
        if (start >= raw.Length)
        {
            return Malformed("empty: no header block and no content");
        }

        var scan = MimeScan.Of(raw, start, _limits, cancellationToken);
        if (scan.HeaderSize > _limits.MaxHeaderSize)
        {
            return Malformed($"its header block is larger than {ByteSize.Format(_limits.MaxHeaderSize)}; not read, the original is kept");
        }

        MimeMessage message;
        try
        {
            // Cut before the boundary past MaxParts: MimeKit would build every part of a message
            // of 200,000 parts before anything could count them.
            message = MimeMessage.Load(ParserOptions.Default, new MimeKit.IO.BoundStream(raw, start, scan.CutAt ?? -1, leaveOpen: true), persistent: true, cancellationToken);
        }
        catch (FormatException ex)
        {
            return Malformed($"not an email: {ex.Message}");
        }

        if (message.Headers.Count == 0)
        {
            return Malformed("no header block: the data does not start with email headers");
        }

        var sender = Sender(message);
        var notes = new List<string>();
        var body = new BodyCollector(_limits, cancellationToken);
        body.Visit(message.Body);
        var attachments = CollectAttachments(message, notes, cancellationToken);
        if (scan.CutAtLongPartHeader)
        {
            notes.Add($"A part of this email has a header block larger than {ByteSize.Format(_limits.MaxHeaderSize)}: everything from that part on was left out (the original email has all of it).");
        }
        else if (scan.CutAt is not null)
        {
            notes.Add($"This email has more than {_limits.MaxParts:N0} parts: everything after part {_limits.MaxParts:N0} was left out (the original email has all of it).");
        }
        var sanitizedHtml = body.Html is null ? null : SafeSanitize(body.Html, notes, cancellationToken);
        var text = body.Text();
        if (body.TextCut)
        {
            notes.Add($"The text was cut at {_limits.MaxTextLength:N0} characters; the original email has all of it.");
        }

        var read = new ReadMessage
        {
            Kind = "message",
            Reason = "ordinary message",
            FromAddress = sender?.Address,
            FromName = string.IsNullOrWhiteSpace(sender?.Name) ? null : sender.Name.Trim(),
            Subject = OneLine(message.Subject),
            Text = text,
            SanitizedHtml = sanitizedHtml,
            MessageId = string.IsNullOrWhiteSpace(message.MessageId) ? null : message.MessageId,
            References = References(message),
            Date = message.Headers.Contains(HeaderId.Date) && message.Date != DateTimeOffset.MinValue ? message.Date : null,
            Attachments = attachments,
            Notes = notes,
            Mime = message,
        };
        read = WithReply(read, body, _limits, cancellationToken);

        var (kind, reason) = Classify(message, sender, read);
        return read with { Kind = kind, Reason = reason };
    }

    /// <summary>
    /// Splits the new text from quoted history and signature. A mail whose only text is an HTML
    /// part is split on its markup (clients mark their quotes there); otherwise on the text.
    /// Never fails the read: on any error the whole text stays visible.
    /// </summary>
    private static ReadMessage WithReply(ReadMessage read, BodyCollector body, ReadLimits limits, CancellationToken cancellationToken)
    {
        var html = body.OnlyHtml;
        var text = read.Text;
        return read with
        {
            Reply = () =>
            {
                try
                {
                    return html is not null && HtmlText.TextOnlyReason(html, limits) is null
                        ? ReplyExtractor.FromHtml(html, cancellationToken)
                        : ReplyExtractor.FromText(text, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    return new ExtractedReply(text, "");
                }
            },
        };
    }

    private (string Kind, string Reason) Classify(MimeMessage message, MailboxAddress? sender, ReadMessage read)
    {
        // Bounces first: many also carry Auto-Submitted, and "this address bounced" is what the
        // operator needs. They are recognised even without a sender (null-sender reports).
        if (MessageClassifier.BounceReason(message, sender) is { } bounce)
        {
            return ("bounce", bounce);
        }

        var autoReply = MessageClassifier.AutoReplyReason(message);
        if (autoReply is not null && (sender is null || !_allowList.Contains(sender.Address)))
        {
            return ("auto-reply", autoReply);
        }

        // A post's author is the sender's address (A3); mail that names nobody cannot be posted
        // or verified (section C), however readable its body is.
        if (sender is null)
        {
            return ("malformed", "no sender: the message has no From, Sender, Reply-To or Return-Path address");
        }

        if (autoReply is not null)
        {
            return ("message", $"{autoReply} from allow-listed sender {sender.Address}");
        }

        var empty = read.Subject.Length == 0 && read.Text.Length == 0 && read.Attachments.Count == 0;
        var what = empty ? "empty message (no subject, text or attachments)" : "ordinary message";
        return MessageClassifier.ListSign(message) is { } list
            ? ("message", $"{what} from a mailing list or newsletter ({list}); posted like any message")
            : ("message", what);
    }

    private static ReadMessage Malformed(string reason) => new() { Kind = "malformed", Reason = reason };

    /// <summary>
    /// Where the header block starts: after blank lines (several real messages begin with one,
    /// which a strict parser reads as "no headers") and after an mbox <c>From </c> envelope line.
    /// </summary>
    private static long HeaderStart(Stream stream)
    {
        // Blank lines and an envelope line are short: the first 64 KB hold them, or it is no mail.
        var length = (int)Math.Min(stream.Length, 64 * 1024);
        var head = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            stream.Position = 0;
            stream.ReadExactly(head, 0, length);
            var start = HeaderStart(head.AsSpan(0, length));
            return start >= length && length < stream.Length ? stream.Length : start;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    private static int HeaderStart(ReadOnlySpan<byte> raw)
    {
        var position = 0;
        while (position < raw.Length)
        {
            var end = raw[position..].IndexOf((byte)'\n');
            var line = end < 0 ? raw[position..] : raw.Slice(position, end);
            var next = end < 0 ? raw.Length : position + end + 1;
            if (line.Trim(" \t\r"u8).IsEmpty)
            {
                position = next;
                continue;
            }

            return line.StartsWith("From "u8) ? next : position;
        }

        return position;
    }

    private static MemoryStream OpenStream(ReadOnlyMemory<byte> raw, int start)
    {
        var rest = raw[start..];
        return MemoryMarshal.TryGetArray(rest, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(rest.ToArray(), writable: false);
    }

    /// <summary>From, else Sender, Reply-To, Return-Path: the first one that holds an address.</summary>
    private static MailboxAddress? Sender(MimeMessage message)
    {
        static bool Usable(MailboxAddress? m) => m is not null && !string.IsNullOrWhiteSpace(m.Address);

        var from = message.From.Mailboxes.FirstOrDefault(Usable);
        if (from is not null)
        {
            return from;
        }

        if (Usable(message.Sender))
        {
            return message.Sender;
        }

        var replyTo = message.ReplyTo.Mailboxes.FirstOrDefault(Usable);
        if (replyTo is not null)
        {
            return replyTo;
        }

        var returnPath = message.Headers[HeaderId.ReturnPath];
        return returnPath is not null && MailboxAddress.TryParse(returnPath, out var path) && Usable(path) ? path : null;
    }

    private static IReadOnlyList<string> References(MimeMessage message)
    {
        var ids = new List<string>(message.References);
        if (!string.IsNullOrWhiteSpace(message.InReplyTo))
        {
            ids.Add(message.InReplyTo);
        }

        return ids.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string OneLine(string? value) =>
        value is null ? "" : string.Join(' ', value.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private string? SafeSanitize(TextPart html, List<string> notes, CancellationToken cancellationToken)
    {
        var source = BodyCollector.TextOf(html, _limits.MaxHtmlSize + 1, out _, cancellationToken);
        if (HtmlText.TextOnlyReason(source, _limits) is { } reason)
        {
            // Not worth seconds of CPU per message to display an attack or a document as HTML;
            // the text still has the words.
            notes.Add($"This email is shown as text only: {reason}.");
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var sanitized = MailHtmlSanitizer.Sanitize(source).Trim();
        return sanitized.Length == 0 ? null : sanitized;
    }

    private List<ReadAttachment> CollectAttachments(MimeMessage message, List<string> notes, CancellationToken cancellationToken)
    {
        var attachments = new List<ReadAttachment>();
        var parts = 0;
        var leftOut = 0;
        foreach (var entity in MessageClassifier.OwnEntities(message.Body))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entity is not Multipart && ++parts > _limits.MaxParts)
            {
                leftOut++;
                continue;
            }

            switch (entity)
            {
                case MessagePart attached:
                    attachments.Add(AttachedMessage(attached));
                    break;
                case TnefPart tnef:
                    AddTnef(tnef, attachments);
                    break;
                case MimePart part when !IsBodyText(part) && !IsMachinePart(part):
                    attachments.Add(Attachment(part, attachments.Count, cancellationToken));
                    break;
            }
        }

        if (leftOut > 0)
        {
            notes.Add($"This email has more than {_limits.MaxParts:N0} parts: {leftOut:N0} parts left out (the original email has them all).");
        }

        return attachments;
    }

    /// <summary>
    /// Outlook's winmail.dat means nothing to a feed reader: post the files inside it. When it
    /// cannot be opened, the .dat itself is kept so nothing the sender attached is lost.
    /// </summary>
    private void AddTnef(TnefPart tnef, List<ReadAttachment> attachments)
    {
        List<MimePart> inner;
        try
        {
            // The TNEF body (RTF or HTML) comes out as a text part; the real body is outside it.
            inner = tnef.ExtractAttachments().OfType<MimePart>().Where(p => !IsBodyText(p)).ToList();
        }
        catch (Exception)
        {
            attachments.Add(Attachment(tnef, attachments.Count, CancellationToken.None));
            return;
        }

        foreach (var part in inner.Take(_limits.MaxParts))
        {
            attachments.Add(Attachment(part, attachments.Count, CancellationToken.None));
        }
    }

    private ReadAttachment Attachment(MimePart part, int index, CancellationToken cancellationToken)
    {
        var type = part.ContentType.MimeType.ToLowerInvariant();
        var name = CleanFileName(part.FileName) ?? GeneratedName(index, type);
        var contentId = string.IsNullOrWhiteSpace(part.ContentId) ? null : part.ContentId;

        // Measured now, decoded again when stored: a kept attachment is never held in memory.
        var size = new ByteCounter();
        try
        {
            part.Content?.DecodeTo(size, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A truncated or corrupt payload: keep what was decoded before the damage rather
            // than losing the attachment (decoding it again would fail the same way).
            using var decoded = new CappedBuffer(MaxAttachmentSize);
            try
            {
                part.Content?.DecodeTo(decoded, cancellationToken);
            }
            catch (Exception again) when (again is not OperationCanceledException)
            {
                // What was decoded before the damage is in the buffer.
            }

            return Attachment(name, type, decoded, contentId);
        }

        var kept = size.Length <= MaxAttachmentSize;
        return new ReadAttachment
        {
            FileName = name,
            ContentType = type,
            Size = size.Length,
            Kept = kept,
            LeftOutReason = kept ? null : ByteSize.OverLimit(size.Length, MaxAttachmentSize),
            ContentId = contentId,
            Open = !kept ? null : part.Content is { } content ? content.Open : () => new MemoryStream([], writable: false),
        };
    }

    private ReadAttachment AttachedMessage(MessagePart attached)
    {
        using var encoded = new CappedBuffer(MaxAttachmentSize);
        try
        {
            attached.Message?.WriteTo(encoded);
        }
        catch (Exception)
        {
            // As for a damaged payload: a partial .eml is better than none.
        }

        return Attachment(AttachedMessageName(attached), "message/rfc822", encoded, attached.ContentId);
    }

    private ReadAttachment Attachment(string name, string type, CappedBuffer content, string? contentId)
    {
        var bytes = content.Content;
        return new ReadAttachment
        {
            FileName = name,
            ContentType = type,
            Size = content.Length,
            Kept = bytes is not null,
            LeftOutReason = bytes is null ? ByteSize.OverLimit(content.Length, MaxAttachmentSize) : null,
            ContentId = string.IsNullOrWhiteSpace(contentId) ? null : contentId,
            Open = bytes is null ? null : () => new MemoryStream(bytes, writable: false),
        };
    }

    private static string AttachedMessageName(MessagePart attached)
    {
        var named = CleanFileName(attached.ContentDisposition?.FileName ?? attached.ContentType.Name);
        if (named is not null)
        {
            return named.EndsWith(".eml", StringComparison.OrdinalIgnoreCase) ? named : named + ".eml";
        }

        var subject = CleanFileName(OneLine(attached.Message?.Subject));
        return subject is null ? "forwarded-message.eml" : subject + ".eml";
    }

    /// <summary>A plain or HTML part shown as the body rather than offered as a file.</summary>
    internal static bool IsBodyText(MimePart part) =>
        part is TextPart { IsAttachment: false } text && (text.IsPlain || text.IsHtml);

    /// <summary>Machine-readable report and signature parts: they explain the mail, they are not files someone sent.</summary>
    private static bool IsMachinePart(MimePart part) =>
        part.ContentType.MimeType.ToLowerInvariant() is "message/delivery-status" or "message/global-delivery-status"
            or "message/disposition-notification" or "message/global-disposition-notification"
            or "text/rfc822-headers" or "message/global-headers"
            or "application/pgp-signature" or "application/pkcs7-signature" or "application/x-pkcs7-signature";

    /// <summary>
    /// The name without any path (a name like <c>..\..\boot.ini</c> must not reach a file system)
    /// or control characters; null when nothing usable remains.
    /// </summary>
    private static string? CleanFileName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var lastSeparator = name.LastIndexOfAny(['/', '\\']);
        var bare = lastSeparator >= 0 ? name[(lastSeparator + 1)..] : name;
        var builder = new StringBuilder(bare.Length);
        foreach (var c in bare)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        var clean = builder.ToString().Trim().Trim('.').Trim();
        if (clean.Length > 200)
        {
            var extension = Path.GetExtension(clean);
            clean = clean[..(200 - Math.Min(extension.Length, 20))] + extension[..Math.Min(extension.Length, 20)];
        }

        return clean.Length == 0 ? null : clean;
    }

    private static string GeneratedName(int index, string mimeType)
    {
        var extension = mimeType == "message/rfc822" ? ".eml"
            : MimeTypes.TryGetExtension(mimeType, out var known) && !string.IsNullOrEmpty(known) ? known
            : ".bin";
        if (!extension.StartsWith('.'))
        {
            extension = "." + extension;
        }

        return $"attachment-{index + 1}{extension}";
    }

    /// <summary>
    /// Gathers the displayed text the way a mail client lays it out: the plain alternative when
    /// there is one, else HTML rendered as text; in <c>multipart/mixed</c> every inline text
    /// part in order (e.g. a list footer after the message).
    /// </summary>
    private sealed class BodyCollector(ReadLimits limits, CancellationToken cancellationToken)
    {
        private readonly List<string> _texts = [];
        private string? _htmlSource;
        private long _length;
        private int _visited;

        /// <summary>Whether some text was left out by <see cref="ReadLimits.MaxTextLength"/>.</summary>
        public bool TextCut { get; private set; }

        /// <summary>The first HTML body part, for <see cref="ReadMessage.SanitizedHtml"/>.</summary>
        public TextPart? Html { get; private set; }

        /// <summary>The HTML source when the text is that one HTML part and nothing else.</summary>
        public string? OnlyHtml => _texts.Count(t => t.Trim().Length > 0) == 1 ? _htmlSource : null;

        public void Visit(MimeEntity? entity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++_visited > limits.MaxParts)
            {
                // CollectAttachments counts and notes the parts left out.
                return;
            }

            // Nesting depth is bounded by MimeKit's parser (ParserOptions.MaxMimeDepth), so
            // recursion here cannot run away.
            if (entity is Multipart { Count: 0 } empty && !string.IsNullOrWhiteSpace(empty.Preamble))
            {
                // A multipart header over a body with no boundaries in it (seen from mobile
                // clients): the text the sender wrote is all in what MIME calls the preamble.
                Add(empty.Preamble);
                return;
            }

            switch (entity)
            {
                case MultipartAlternative alternative:
                    VisitAlternative(alternative);
                    break;
                case MultipartRelated related:
                    Visit(related.Root ?? (related.Count > 0 ? related[0] : null));
                    break;
                case Multipart multipart:
                    foreach (var child in multipart)
                    {
                        Visit(child);
                    }

                    break;
                case TextPart { IsAttachment: false, IsPlain: true } plain:
                    Add(PlainText(plain));
                    break;
                case TextPart { IsAttachment: false, IsHtml: true } html:
                    Html ??= html;
                    // HTML past MaxHtmlSize is shown as text, so a little more than that is
                    // enough to know (the rest of a larger body is cut as text is).
                    var source = TextOf(html, Math.Max(limits.MaxHtmlSize + 1, limits.MaxTextLength), out var cut, cancellationToken);
                    TextCut |= cut;
                    _htmlSource = _texts.Count == 0 && !cut ? source : null;
                    Add(HtmlText.ToPlainText(source, limits, cancellationToken));
                    break;
            }
        }

        /// <summary>Keeps the text while the message's text is under <see cref="ReadLimits.MaxTextLength"/> in all.</summary>
        private void Add(string text)
        {
            var room = limits.MaxTextLength - _length;
            if (room <= 0)
            {
                TextCut |= text.Length > 0;
                return;
            }

            if (text.Length > room)
            {
                text = text[..(int)room];
                TextCut = true;
            }

            _length += text.Length;
            _texts.Add(text);
        }

        public string Text()
        {
            var parts = _texts
                .Select(t => t.Replace("\r\n", "\n").Replace('\r', '\n').TrimEnd())
                .Where(t => t.Trim().Length > 0);
            return string.Join("\n\n", parts).Trim('\n');
        }

        private void VisitAlternative(Multipart alternative)
        {
            // RFC 2046 §5.1.4: alternatives come in increasing order of preference; we prefer
            // the sender's own plain text for Text, and keep the richest HTML for display.
            var plain = alternative.LastOrDefault(child => Contains(child, p => p.IsPlain));
            var html = alternative.LastOrDefault(child => Contains(child, p => p.IsHtml));
            if (plain is not null)
            {
                Visit(plain);
                if (html is not null && html != plain && Html is null)
                {
                    Html = FirstText(html, p => p.IsHtml);
                }
            }
            else if (html is not null)
            {
                Visit(html);
            }
            else if (alternative.Count > 0)
            {
                Visit(alternative[^1]);
            }
        }

        private static bool Contains(MimeEntity entity, Func<TextPart, bool> match) => FirstText(entity, match) is not null;

        private static TextPart? FirstText(MimeEntity entity, Func<TextPart, bool> match) =>
            MessageClassifier.OwnEntities(entity).OfType<TextPart>().FirstOrDefault(p => !p.IsAttachment && match(p));

        private string PlainText(TextPart part)
        {
            var text = TextOf(part, limits.MaxTextLength, out var cut, cancellationToken);
            TextCut |= cut;
            if (!part.IsFlowed)
            {
                return text;
            }

            // RFC 3676: soft line breaks are joined; with DelSp=yes the space before them goes too.
            var deleteSpace = part.ContentType.Parameters.TryGetValue("delsp", out string? delsp)
                && delsp.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase);
            // RFC 3676 §4.3: the signature separator "-- " is never flowed, though it ends in a space;
            // MimeKit's converter joins it with the next line ("--Bob"), hiding the signature.
            var converter = new FlowedToText { DeleteSpace = deleteSpace };
            var segments = text.Split(SignatureSeparators, StringSplitOptions.None);
            if (segments.Length == 1)
            {
                return converter.Convert(text);
            }
            var joined = new System.Text.StringBuilder(text.Length);
            for (var i = 0; i < segments.Length; i++)
            {
                if (i > 0)
                {
                    joined.Append("-- \n");
                }
                var converted = converter.Convert(segments[i]);
                joined.Append(converted);
                if (i < segments.Length - 1 && converted.Length > 0 && converted[^1] != '\n')
                {
                    joined.Append('\n');
                }
            }
            return joined.ToString();
        }

        private static readonly string[] SignatureSeparators = ["\r\n-- \r\n", "\n-- \n"];

        /// <summary>
        /// The part's text in its declared charset, at most about <paramref name="maxChars"/> of it
        /// (a part of 50 MB is not decoded whole into memory). An unknown or unsupported charset
        /// (the fixtures have <c>unicode-1-1-utf-7</c>) falls back to UTF-8, then ISO-8859-1,
        /// which cannot fail: mail is never rejected for its charset label.
        /// </summary>
        public static string TextOf(TextPart part, int maxChars, out bool cut, CancellationToken cancellationToken)
        {
            // Every charset Mailroom decodes takes at least one byte per character.
            using var decoded = new PrefixBuffer((int)Math.Min(int.MaxValue - 64, (long)maxChars * 2));
            try
            {
                part.Content?.DecodeTo(decoded, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Use what was decoded before the damage.
            }

            var bytes = decoded.Kept.AsSpan();
            cut = decoded.Cut;
            if (cut && bytes.LastIndexOf((byte)'\n') is var lastLine and > 0 && bytes.Length - lastLine < 64 * 1024)
            {
                // Cut at a line end, not inside a multi-byte character.
                bytes = bytes[..(lastLine + 1)];
            }

            var text = Decode(part.ContentType, bytes);
            if (text.Length > maxChars)
            {
                text = text[..maxChars];
                cut = true;
            }

            return text;
        }

        private static string Decode(ContentType type, ReadOnlySpan<byte> bytes)
        {
            Encoding? encoding = null;
            try
            {
                // MimeKit's charset table: more aliases than Encoding.GetEncoding knows.
                encoding = type.CharsetEncoding;
            }
            catch (Exception ex) when (ex is NotSupportedException or ArgumentException)
            {
                // An unknown label: guess as for no label.
            }

            if (encoding is not null)
            {
                return encoding.GetString(bytes);
            }

            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                return Encoding.Latin1.GetString(bytes);
            }
        }
    }
}
