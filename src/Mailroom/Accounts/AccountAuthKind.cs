namespace Mailroom.Accounts;

/// <summary>How Mailroom logs in to an account: a password it keeps, or OAuth 2.0 tokens it refreshes.</summary>
public enum AccountAuthKind
{
    Password = 0,
    OAuth = 1,
}
