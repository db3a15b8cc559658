namespace Mailroom.People;

public enum WorkspaceRole
{
    Owner = 0,
    Admin = 1,
    Member = 2,
    Guest = 3,
}
