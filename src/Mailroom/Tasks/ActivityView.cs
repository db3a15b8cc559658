namespace Mailroom.Tasks;

/// <summary>One entry of a task's activity stream; comment entries carry the comment.</summary>
public sealed record ActivityView(Guid Id, ActivityKind Kind, string Actor, Guid? ActorUserId, string? ActorEmail, string Text, DateTimeOffset CreatedAt, CommentView? Comment);
