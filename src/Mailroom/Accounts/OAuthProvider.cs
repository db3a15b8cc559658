namespace Mailroom.Accounts;

/// <summary>The OAuth 2.0 identity providers a mailbox can be linked through, each for one <see cref="MailProvider"/>.</summary>
public enum OAuthProvider
{
    Google = 0,
    Microsoft = 1,
}
