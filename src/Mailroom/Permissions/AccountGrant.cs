using Mailroom.Storage;

namespace Mailroom.Permissions;

/// <summary>
/// The right of one member to send from a mailbox another member linked (B7). Only the member
/// who linked the account gives or takes it back; it goes when the account or the member goes.
/// </summary>
public sealed class AccountGrant
{
    public Guid Id { get; set; } = Ids.New();

    public Guid AccountId { get; set; }

    /// <summary>The member who may send from the account.</summary>
    public Guid UserId { get; set; }

    /// <summary>Who gave it: the account's linker at the time (kept if the account changes hands later).</summary>
    public Guid GrantedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
