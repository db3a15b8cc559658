using System.Collections.Concurrent;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Accounts;

/// <summary>
/// The login of a stored account, decrypted for one connection. The one place the outbox's
/// sender and the IMAP watcher get credentials from, so that OAuth accounts (a token refreshed
/// shortly before it expires) and password accounts look alike to them.
/// </summary>
public sealed class AccountCredentials(
    AccountSecrets secrets,
    OAuthTokenStore tokenStore,
    OAuthClient oauth,
    IServiceScopeFactory scopes,
    AccountHealthNotifier notifier,
    IOptions<OAuthOptions> options,
    TimeProvider clock,
    ILogger<AccountCredentials> logger)
{
    // One refresh at a time per account in this instance: providers rotate refresh tokens, and two
    // refreshes racing would each store a token the other one made stale.
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _gates = new();
    private readonly ConcurrentDictionary<Guid, (string Token, DateTimeOffset ExpiresAt)> _graphTokens = new();

    /// <summary>
    /// The login to present now. <paramref name="afterRefusal"/> is set on the one retry after the
    /// server refused the previous login (an OAuth token is then refreshed even if not yet expired).
    /// Throws <see cref="ReauthenticationRequiredException"/> when the provider refuses the refresh
    /// token; the account is then NeedsReauthentication (NEMAIL_002) and its admins are told.
    /// </summary>
    public async Task<AccountLogin> GetAsync(MailAccount account, bool afterRefusal, CancellationToken cancellationToken)
    {
        if (account.AuthKind != AccountAuthKind.OAuth)
        {
            return AccountLogin.WithPassword(account.Username, secrets.Unprotect(account.ProtectedSecret));
        }
        var held = tokenStore.Unprotect(account.ProtectedSecret);
        if (!afterRefusal && !NearExpiry(held))
        {
            return AccountLogin.WithToken(account.Username, held.AccessToken);
        }
        var tokens = await RefreshAsync(account, held, afterRefusal, cancellationToken);
        return AccountLogin.WithToken(account.Username, tokens.AccessToken);
    }

    /// <summary>
    /// An access token for Microsoft Graph's sendMail (a Microsoft OAuth account): Microsoft issues
    /// a token per resource, so this one is asked for with the refresh token and Graph's scope,
    /// and kept in memory until shortly before it expires.
    /// </summary>
    public async Task<string> GraphTokenAsync(MailAccount account, bool afterRefusal, CancellationToken cancellationToken)
    {
        if (account.AuthKind != AccountAuthKind.OAuth || OAuthProviderOf(account) != OAuthProvider.Microsoft)
        {
            throw new InvalidOperationException("Only a Microsoft OAuth account sends through Graph.");
        }
        if (!afterRefusal && _graphTokens.TryGetValue(account.Id, out var cached) && cached.ExpiresAt - clock.GetUtcNow() > options.Value.RefreshBefore)
        {
            return cached.Token;
        }
        var gate = _gates.GetOrAdd(account.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
            var row = await RowAsync(db, account, cancellationToken);
            var stored = tokenStore.Unprotect(row.ProtectedSecret);
            var graph = await TradeAsync(db, row, account, stored, options.Value.Microsoft.GraphScopes, cancellationToken);
            // Only the refresh token is kept from this answer: the stored access token stays the mailbox's.
            if (graph.RefreshToken != stored.RefreshToken)
            {
                row.ProtectedSecret = tokenStore.Protect(stored with { RefreshToken = graph.RefreshToken });
                await db.SaveChangesAsync(cancellationToken);
                account.ProtectedSecret = row.ProtectedSecret;
            }
            _graphTokens[account.Id] = (graph.AccessToken, graph.ExpiresAt);
            return graph.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Which identity provider an OAuth account's tokens are from.</summary>
    public static OAuthProvider OAuthProviderOf(MailAccount account) =>
        account.Provider == MailProvider.Outlook ? OAuthProvider.Microsoft : OAuthProvider.Google;

    private async Task<OAuthTokens> RefreshAsync(MailAccount account, OAuthTokens held, bool afterRefusal, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(account.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
            var row = await RowAsync(db, account, cancellationToken);
            var stored = tokenStore.Unprotect(row.ProtectedSecret);
            // Refreshed by someone else while this caller waited, or since it read the account:
            // that token is newer than the one it holds (or had refused).
            if (!NearExpiry(stored) && (!afterRefusal || stored.AccessToken != held.AccessToken))
            {
                account.ProtectedSecret = row.ProtectedSecret;
                return stored;
            }
            var fresh = await TradeAsync(db, row, account, stored, null, cancellationToken);
            row.ProtectedSecret = tokenStore.Protect(fresh);
            await db.SaveChangesAsync(cancellationToken);
            account.ProtectedSecret = row.ProtectedSecret;
            AccountsLog.TokenRefreshed(logger, account.Id, fresh.ExpiresAt);
            return fresh;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The refresh grant; a refused refresh token marks the account for re-authentication.</summary>
    private async Task<OAuthTokens> TradeAsync(MailroomDb db, MailAccount row, MailAccount account, OAuthTokens stored, string? scope, CancellationToken cancellationToken)
    {
        try
        {
            return await oauth.RefreshAsync(OAuthProviderOf(row), stored, scope, cancellationToken);
        }
        catch (OAuthRefusal refusal) when (refusal.InvalidGrant)
        {
            AccountsLog.RefreshRefused(logger, account.Id, refusal.Error);
            var becameUnusable = row.Health != AccountHealth.NeedsReauthentication;
            row.Health = AccountHealth.NeedsReauthentication;
            row.LastErrorCode = AccountProblems.AuthenticationRefused;
            await db.SaveChangesAsync(cancellationToken);
            if (becameUnusable)
            {
                await notifier.ReportAsync(db, row, cancellationToken);
            }
            account.Health = row.Health;
            account.LastErrorCode = row.LastErrorCode;
            throw new ReauthenticationRequiredException(account.Email);
        }
    }

    private static async Task<MailAccount> RowAsync(MailroomDb db, MailAccount account, CancellationToken cancellationToken) =>
        await db.MailAccounts.FirstOrDefaultAsync(a => a.Id == account.Id, cancellationToken)
        ?? throw new ReauthenticationRequiredException(account.Email);

    private bool NearExpiry(OAuthTokens tokens) => tokens.ExpiresAt - clock.GetUtcNow() <= options.Value.RefreshBefore;
}
