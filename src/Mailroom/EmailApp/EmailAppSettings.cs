namespace Mailroom.EmailApp;

/// <summary>The Email app of a workspace (B1): off until an owner or admin turns it on.</summary>
public sealed class EmailAppSettings
{
    public Guid WorkspaceId { get; set; }
    public bool Enabled { get; set; }

    /// <summary>True: every space, including ones created later. False: only <see cref="SpaceIds"/>.</summary>
    public bool AllSpaces { get; set; } = true;
    public List<Guid> SpaceIds { get; set; } = [];
    public ReplyMode ReplyMode { get; set; } = ReplyMode.Threaded;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    public bool IsEnabledFor(Guid spaceId) => Enabled && (AllSpaces || SpaceIds.Contains(spaceId));
}
