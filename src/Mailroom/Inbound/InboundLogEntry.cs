namespace Mailroom.Inbound;

/// <summary>One line of the inbound log: a received message and what became of it (with links to what it made), and whether its From was proven.</summary>
public sealed record InboundLogEntry(
    Guid Id, DateTimeOffset ReceivedAt, string Status, string? Kind, string? Outcome,
    string MailFrom, string? FromAddress, string? Subject, IReadOnlyList<string> Recipients, long Size,
    string? RemoteAddress, int Attempts, DateTimeOffset? ProcessedAt, bool? FromAuthenticated, string? Authentication, IReadOnlyList<InboundLink> Created)
{
    public static InboundLogEntry Of(InboundMessage m, IReadOnlyList<InboundLink>? created = null) => new(
        m.Id, m.ReceivedAt, m.Status.ToString().ToLowerInvariant(), m.Kind, m.Outcome, m.MailFrom, m.FromAddress, m.Subject,
        m.Recipients.Split('\n', StringSplitOptions.RemoveEmptyEntries), m.Size, m.RemoteAddress, m.Attempts, m.ProcessedAt, m.FromAuthenticated, m.Authentication, created ?? []);
}
