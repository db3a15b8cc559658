namespace Mailroom.EmailApp;

/// <summary>Where an email reply lands in a task (B1).</summary>
public enum ReplyMode
{
    /// <summary>Under the comment made from the email it answers (matched by In-Reply-To/References).</summary>
    Threaded = 0,
    /// <summary>Always as a new top-level comment.</summary>
    NewComment = 1,
}
