namespace Mailroom.Inbound;

public enum InboundStatus
{
    /// <summary>Stored, waiting for the processor.</summary>
    Pending = 0,
    /// <summary>Became one post, task or comment or more.</summary>
    Posted = 1,
    /// <summary>Read but deliberately not posted (auto-reply, bounce, removed integration, guest sender, email already made into a comment).</summary>
    Ignored = 2,
    /// <summary>Could not be read as an email; kept for inspection.</summary>
    Malformed = 3,
    /// <summary>Processing kept failing; kept for inspection and retry.</summary>
    Failed = 4,
}
