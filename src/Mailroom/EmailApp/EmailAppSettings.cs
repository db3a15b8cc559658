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
    /// <summary>
    /// The workspace turned off the "Sent using Mailroom" footer. Kept across a downgrade but
    /// only honoured while the plan allows removing it.
    /// </summary>
    public bool WatermarkOff { get; set; }

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    public bool IsEnabledFor(Guid spaceId) => Enabled && (AllSpaces || SpaceIds.Contains(spaceId));
}
