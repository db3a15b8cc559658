namespace Mailroom.Outbound;

/// <summary>What the composer is filled with to answer an email of the task (<see cref="OutboxService.ReplyDraftAsync"/>).</summary>
public sealed record ReplyDraft(Guid CommentId, Guid? AccountId, string To, string Subject);
