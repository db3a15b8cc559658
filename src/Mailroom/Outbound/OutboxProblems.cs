namespace Mailroom.Outbound;

/// <summary>The outbox's stable codes, for the API, the composer and the activity lines.</summary>
public static class OutboxProblems
{
    public const string InvalidRecipient = "invalid_recipient";
    public const string NoRecipient = "recipient_required";
    public const string TooManyRecipients = "too_many_recipients";
    public const string InvalidSubject = "invalid_subject";
    public const string BodyTooLong = "body_too_long";
    public const string EmptyEmail = "empty_email";
    public const string InvalidAttachment = "invalid_attachment";
    public const string TooLarge = "email_too_large";
    public const string InvalidSendAt = "invalid_send_at";
    public const string InvalidAccount = "invalid_account";
    public const string ReplyNotEmail = "reply_not_email";
    public const string NotScheduled = "email_not_scheduled";
    public const string NotAuthor = "email_not_author";

    /// <summary>A scheduled email's thread got a reply first.</summary>
    public const string Held = "held_reply_received";

    /// <summary>The account it was to leave through was removed.</summary>
    public const string AccountRemoved = "account_removed";

    /// <summary>Transient failures kept on past <see cref="OutboxOptions.MaxAttempts"/>.</summary>
    public const string RetriesExhausted = "retries_exhausted";
}
