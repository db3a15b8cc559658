namespace Mailroom.Inbound;

/// <summary>
/// Where reading a message stops spending on it: mail is attacker-controlled, and each step of
/// reading it must cost at most in proportion to its size. Past a limit the message is still
/// read, in a cheaper way, and a note on the post says what was left out or simplified.
/// </summary>
/// <param name="MaxParts">MIME parts read; the rest are left out, with a note saying how many.</param>
/// <param name="MaxHtmlSize">Characters of HTML parsed and sanitised as HTML; a larger HTML body is shown as its text only.</param>
/// <param name="MaxHtmlTags">Tags in an HTML body parsed as HTML: AngleSharp's serialiser costs the square of an element's children.</param>
/// <param name="MaxHtmlNesting">Nesting depth of HTML parsed as HTML: HTML5 tree building costs the square of the depth.</param>
/// <param name="MaxTextLength">Characters of text kept from each text part; the rest stays in the original email.</param>
/// <param name="MaxHeaderSize">Bytes of the header block read: MimeKit grows its header buffer in steps, which costs the square of one long header.</param>
public sealed record ReadLimits(int MaxParts, int MaxHtmlSize, int MaxHtmlTags, int MaxHtmlNesting, int MaxTextLength, int MaxHeaderSize)
{
    public static ReadLimits Default { get; } = From(new InboundOptions());

    public static ReadLimits From(InboundOptions options) =>
        new(options.MaxParts, options.MaxHtmlSize, options.MaxHtmlTags, options.MaxHtmlNesting, options.MaxTextLength, options.MaxHeaderSize);
}
