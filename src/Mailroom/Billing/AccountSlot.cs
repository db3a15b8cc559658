using Mailroom.Storage;

namespace Mailroom.Billing;

/// <summary>
/// One bought email account slot beyond the plan's free accounts. A member links a mailbox into
/// it; a slot still empty when the cycle renews is removed (and not charged again).
/// </summary>
public sealed class AccountSlot
{
    public Guid Id { get; set; } = Ids.New();
    public Guid WorkspaceId { get; set; }

    /// <summary>The mailbox linked into this slot, or null while it is free.</summary>
    public Guid? MailAccountId { get; set; }

    /// <summary>The ledger line that paid for it.</summary>
    public Guid PurchaseLineId { get; set; }

    public DateTimeOffset PurchasedAt { get; set; }
}
