namespace Mailroom.Spaces;

/// <summary>A guest let into one space. Members and admins see every space; guests only these.</summary>
public sealed class SpaceGuest
{
    public Guid SpaceId { get; set; }
    public Guid UserId { get; set; }
}
