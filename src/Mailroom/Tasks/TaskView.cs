using Mailroom.Posts;

namespace Mailroom.Tasks;

/// <summary>
/// A task as the API shows it. <see cref="FromEmail"/> is the mail-icon flag; <see cref="CreatedBy"/>
/// is the member's name, or the sender's address when a non-member emailed it in.
/// <see cref="Address"/> is null for guests.
/// </summary>
public sealed record TaskView(
    Guid Id, Guid ListId, Guid SpaceId, string Name, string Description, string Status, bool Closed, DateTimeOffset? ClosedAt,
    DateOnly? DueDate, IReadOnlyList<PersonRef> Assignees, IReadOnlyList<PersonRef> Followers,
    string CreatedBy, Guid? CreatedByUserId, bool FromEmail, string? CreatorEmail, string? CreatorName, string? Notes,
    string? Address, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<AttachmentView> Attachments,
    IReadOnlyList<TaskFieldView> Fields, bool SenderUnverified = false);
