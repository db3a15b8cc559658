namespace Mailroom.Integrations;

public enum MailTargetKind
{
    /// <summary>A group's integration address: each email becomes a post.</summary>
    GroupIntegration = 0,
    /// <summary>A list's address: each email becomes a task.</summary>
    List = 1,
    /// <summary>A task's address: each email becomes a comment.</summary>
    Task = 2,
}
