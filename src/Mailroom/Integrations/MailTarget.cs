namespace Mailroom.Integrations;

/// <summary>
/// What a generated address reaches. <see cref="Integration"/> is set for group integrations
/// (removed ones included: callers check <see cref="EmailIntegration.RemovedAt"/>);
/// <see cref="SpaceId"/> for lists and tasks, whose mail the Email app's settings govern.
/// </summary>
public sealed record MailTarget(MailTargetKind Kind, Guid Id, EmailIntegration? Integration = null, Guid? SpaceId = null);
