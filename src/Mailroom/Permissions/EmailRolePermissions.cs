using Mailroom.People;

namespace Mailroom.Permissions;

/// <summary>
/// The workspace's custom role permissions for email (B18), kept per workspace: whether admins
/// and members may send email and add email accounts. Read only on a plan with custom
/// permissions; on any other plan the defaults apply (everyone but guests may both) and this row
/// is kept as it is, for the day the workspace is on such a plan again. No row: the defaults.
/// Owners always may both, guests never: neither has a row here.
/// </summary>
public sealed class EmailRolePermissions
{
    public Guid WorkspaceId { get; set; }

    public bool AdminSendEmail { get; set; } = true;
    public bool AdminAddAccounts { get; set; } = true;
    public bool MemberSendEmail { get; set; } = true;
    public bool MemberAddAccounts { get; set; } = true;

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who changed them last (null once that member is gone).</summary>
    public Guid? UpdatedBy { get; set; }

    public bool SendEmail(WorkspaceRole role) => role == WorkspaceRole.Admin ? AdminSendEmail : MemberSendEmail;

    public bool AddAccounts(WorkspaceRole role) => role == WorkspaceRole.Admin ? AdminAddAccounts : MemberAddAccounts;
}
