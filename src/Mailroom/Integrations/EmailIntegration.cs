using Mailroom.Storage;

namespace Mailroom.Integrations;

/// <summary>A generated address that feeds one group (A1, A6).</summary>
public sealed class EmailIntegration
{
    public Guid Id { get; set; } = Ids.New();
    public Guid GroupId { get; set; }

    /// <summary>Display name a writer sees in the To field.</summary>
    public required string Title { get; set; }

    /// <summary>Lower-case local part, carrying at least 80 random bits.</summary>
    public required string LocalPart { get; set; }

    public Guid CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Set when removed: mail to it is refused from then on; its posts stay.</summary>
    public DateTimeOffset? RemovedAt { get; set; }
}
