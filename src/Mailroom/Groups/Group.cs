using Mailroom.Storage;

namespace Mailroom.Groups;

/// <summary>A group of the workspace, with a news feed of posts.</summary>
public sealed class Group
{
    public Guid Id { get; set; } = Ids.New();
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<GroupMember> Members { get; set; } = [];
}
