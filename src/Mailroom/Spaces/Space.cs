using Mailroom.Storage;

namespace Mailroom.Spaces;

/// <summary>A space of the workspace: it holds lists, which hold tasks.</summary>
public sealed class Space
{
    public Guid Id { get; set; } = Ids.New();
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public Guid CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}
