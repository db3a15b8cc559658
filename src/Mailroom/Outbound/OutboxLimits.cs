namespace Mailroom.Outbound;

/// <summary>What one email may hold; beyond these the outbox refuses it before anything is stored.</summary>
public static class OutboxLimits
{
    /// <summary>RFC 5322 2.1.1's line limit: a subject longer than a line would have to be folded anyway.</summary>
    public const int MaxSubjectLength = 998;

    public const int MaxBodyHtmlLength = 2 * 1024 * 1024;

    public const int MaxRecipients = 100;

    public const int MaxAttachments = 50;

    /// <summary>References kept in a reply: the first id and the latest ones (RFC 5322 3.6.4 allows trimming).</summary>
    public const int MaxReferences = 20;

    /// <summary>
    /// How far in the past a send time may be and still mean "now" (a member who picked the current
    /// minute, a clock a little behind the server's). Further back it is a mistake and refused: the
    /// member meant some other time, and sending at once would surprise them.
    /// </summary>
    public static readonly TimeSpan PastSendAtGrace = TimeSpan.FromMinutes(1);
}
