namespace Mailroom.Groups;

public sealed class GroupMember
{
    public Guid GroupId { get; set; }
    public Guid UserId { get; set; }
    public bool IsManager { get; set; }
}
