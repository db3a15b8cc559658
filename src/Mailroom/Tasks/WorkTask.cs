using Mailroom.Storage;

namespace Mailroom.Tasks;

/// <summary>A task: created in the app by a member, or by an email sent to its list's address.</summary>
public sealed class WorkTask
{
    public Guid Id { get; set; } = Ids.New();
    public Guid ListId { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public required string Status { get; set; }
    public DateOnly? DueDate { get; set; }

    /// <summary>The member who created it: in the app, or by email from their own address.</summary>
    public Guid? CreatedByUserId { get; set; }

    /// <summary>Set when it came from an email: shown with a mail icon and, for non-members, the sender's address.</summary>
    public bool FromEmail { get; set; }
    public string? CreatorEmail { get; set; }
    public string? CreatorName { get; set; }

    /// <summary>Set when it came from an email whose From was not proven (DKIM/SPF/DMARC, or the operator's trust): the address is shown marked "unverified".</summary>
    public bool SenderUnverified { get; set; }

    /// <summary>Lines the system adds, e.g. which attachment was left out and why.</summary>
    public string? Notes { get; set; }

    /// <summary>Secret local part: each email sent to it adds a comment.</summary>
    public required string LocalPart { get; set; }

    /// <summary>The stored message it was made from, and that email's Message-ID: with <see cref="ListId"/>
    /// each is unique, so one email never makes two tasks in one list.</summary>
    public Guid? InboundMessageId { get; set; }
    public string? EmailMessageId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? ClosedAt { get; set; }

    public List<TaskAssignee> Assignees { get; set; } = [];
    public List<TaskFollower> Followers { get; set; } = [];
}
