namespace Mailroom.Outbound.Pages;

/// <summary>
/// What the composer's fields hold, as typed: shown again after a refusal (files aside, which a
/// browser never lets a page refill), and prefilled from a scheduled email to edit it.
/// <see cref="SendAt"/> is a datetime-local value in the member's own zone; <see cref="ReplyTo"/>
/// the comment (an email) it answers, whose thread it continues.
/// </summary>
public sealed record ComposeValues(Guid? AccountId, string To, string Cc, string Bcc, string Subject, string BodyHtml, string SendAt, Guid? ReplyTo = null)
{
    public static ComposeValues Empty { get; } = new(null, "", "", "", "", "", "");

    public static ComposeValues Of(ReplyDraft draft) => new(draft.AccountId, draft.To, "", "", draft.Subject, "", "", draft.CommentId);

    /// <summary>A scheduled email's fields, its time in <paramref name="zone"/>.</summary>
    public static ComposeValues Of(OutboundEmailView email, TimeZoneInfo zone) => new(
        email.AccountId, string.Join(", ", email.To), string.Join(", ", email.Cc), string.Join(", ", email.Bcc), email.Subject, email.BodyHtml,
        email.SendAt is { } at ? ComposeForm.LocalValue(at, zone) : "");
}
