namespace Mailroom.Workspaces;

/// <summary>The permission setting of A4: admins always may add integrations; who else may.</summary>
public enum IntegrationPermission
{
    AdminsOnly = 0,
    GroupManagers = 1,
    AllMembers = 2,
}
