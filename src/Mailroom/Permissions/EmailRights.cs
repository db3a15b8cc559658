using Mailroom.People;

namespace Mailroom.Permissions;

/// <summary>
/// What a member's role may do with email (B18), as <see cref="AccountPermissions.EmailRightsAsync"/>
/// decided it, with the sentence a refusal says: which permission the role lacks and who can change it.
/// </summary>
public sealed record EmailRights(WorkspaceRole Role, bool SendEmail, bool AddAccounts)
{
    public const string SendEmailName = "Send email (Email app)";
    public const string AddAccountsName = "Add email accounts (Email app)";
    public const string WhereChanged = "Settings → Security & Permissions";

    public static EmailRights Both(WorkspaceRole role) => new(role, true, true);

    public static EmailRights None(WorkspaceRole role) => new(role, false, false);

    /// <summary>Why the member may not send, in the refusal ACCESS_137 answers (it starts as ACCESS_137's remedy does), or null when they may.</summary>
    public string? SendRefusal => SendReason is { } reason ? "You do not have permission to send from this email address. " + reason : null;

    /// <summary>Why the member may not send, on its own (the composer says it where there is no address yet), or null when they may.</summary>
    public string? SendReason => SendEmail ? null : Role switch
    {
        WorkspaceRole.Guest => "Guests never send email from the workspace's accounts.",
        WorkspaceRole.Admin or WorkspaceRole.Member => $"The {RoleName} role lacks the \"{SendEmailName}\" permission in this workspace. {WhoChanges}",
        _ => "Your account is deactivated.",
    };

    /// <summary>Why the member may not link a mailbox, or null when they may.</summary>
    public string? AddRefusal => AddAccounts ? null : Role switch
    {
        WorkspaceRole.Guest => "Guests cannot link or manage email accounts.",
        WorkspaceRole.Admin or WorkspaceRole.Member => $"You cannot add email accounts: the {RoleName} role lacks the \"{AddAccountsName}\" permission in this workspace. {WhoChanges}",
        _ => "You cannot add email accounts: your account is deactivated.",
    };

    private string RoleName => Role.ToString();

    // Admins change the Member row only; the Admin row is the owner's (EmailRolePermissionsService).
    private string WhoChanges => Role == WorkspaceRole.Admin
        ? $"The workspace's owner can change it in {WhereChanged}."
        : $"The workspace's owner or an admin can change it in {WhereChanged}.";
}
