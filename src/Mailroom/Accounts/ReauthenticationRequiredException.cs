namespace Mailroom.Accounts;

/// <summary>
/// The provider refused the account's refresh token (invalid_grant): access was revoked, the
/// password changed, or the grant expired. The account is marked NeedsReauthentication; only the
/// member signing in again helps. A MailKit <see cref="MailKit.Security.AuthenticationException"/>,
/// so a caller that already treats refused logins as permanent treats this one so too.
/// </summary>
public sealed class ReauthenticationRequiredException(string email)
    : MailKit.Security.AuthenticationException($"The provider refused to renew Mailroom's access to {email}: it needs re-authentication.")
{
}
