namespace Mailroom.Inbound;

/// <summary>
/// One line of the inbound log's "refused at RCPT": a recipient the listener would not take, why
/// (a stable <see cref="Reason"/> code and a sentence for the admin), the reply the sender's server
/// got, and how often it was refused alike between <see cref="FirstSeenAt"/> and <see cref="LastSeenAt"/>.
/// </summary>
public sealed record RefusalLogEntry(
    Guid Id, string Address, string MailFrom, string? RemoteAddress, string Reason, string Explanation,
    string Reply, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, int Count)
{
    public static RefusalLogEntry Of(RcptRefusal r) => new(
        r.Id, r.Address, r.MailFrom, r.RemoteAddress, r.Reason.Code(), r.Reason.Explanation(),
        $"{r.ReplyCode} {r.EnhancedCode} {r.ReplyText}", r.FirstSeenAt, r.LastSeenAt, r.Count);
}
