using Mailroom.Permissions;
using System.Net.Mail;
using System.Text.RegularExpressions;
using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Accounts;

/// <summary>
/// Linking (or re-authenticating) a mailbox with OAuth 2.0: the authorization code flow with PKCE
/// (RFC 6749 4.1, RFC 7636). Start sends the member to the provider with a state bound to them;
/// the callback trades the code, reads the mailbox's address, logs in to IMAP and SMTP with the
/// token exactly as the sender and the watcher will, and only then saves the tokens, encrypted.
/// </summary>
public sealed partial class OAuthLinks(
    MailroomDb db,
    OAuthState states,
    OAuthClient client,
    OAuthTokenStore tokenStore,
    ConnectionTester tester,
    AccountPermissions permissions,
    AccountAllowance allowance,
    IOptions<OAuthOptions> options,
    TimeProvider clock,
    ILogger<OAuthLinks> logger)
{
    public const string CallbackPath = "/settings/email-accounts/oauth/callback";

    /// <summary>The providers with a client configured, the only ones the page offers.</summary>
    public IReadOnlyList<OAuthProvider> Offered => options.Value.Offered.ToList();

    /// <summary>The provider's authorize URL for <paramref name="actor"/>; <paramref name="accountId"/> when re-authenticating one of their accounts.</summary>
    public async Task<string> StartAsync(User actor, OAuthProvider provider, Guid? accountId, string redirectUri, CancellationToken cancellationToken)
    {
        permissions.RequireNotGuest(actor);
        var settings = options.Value.For(provider);
        if (!settings.Configured)
        {
            throw AppProblem.NotFound($"Linking through {provider}");
        }
        if (accountId is { } id)
        {
            var account = await db.MailAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
            if (account is null || account.AuthKind != AccountAuthKind.OAuth || AccountCredentials.OAuthProviderOf(account) != provider)
            {
                throw AppProblem.NotFound("The email account");
            }
            permissions.RequireMayReauthenticate(actor, account);
        }
        else
        {
            // A new mailbox: the role must have "Add email accounts" (B18; re-authenticating one is not
            // adding), and the plan's refusal comes now, before the member signs in at the provider for nothing.
            await permissions.RequireMayAddAccountsAsync(actor, cancellationToken);
            await allowance.RequireMayLinkAsync(cancellationToken);
        }
        var (state, payload) = states.Create(actor.Id, provider, accountId);
        var query = new Dictionary<string, string>(settings.AuthorizeParameters)
        {
            ["response_type"] = "code",
            ["client_id"] = settings.ClientId!,
            ["redirect_uri"] = redirectUri,
            ["scope"] = settings.Scopes,
            ["state"] = state,
            ["code_challenge"] = OAuthState.Challenge(payload.CodeVerifier),
            ["code_challenge_method"] = "S256",
        };
        var separator = settings.AuthorizeUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return settings.AuthorizeUrl + separator + string.Join("&", query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
    }

    /// <summary>The provider's redirect back: links the mailbox, or says why not.</summary>
    public async Task<OAuthOutcome> CompleteAsync(User actor, OAuthCallback callback, string redirectUri, CancellationToken cancellationToken)
    {
        permissions.RequireNotGuest(actor);
        var payload = states.Consume(callback.State, actor.Id);
        if (payload is null)
        {
            AccountsLog.OAuthStateRefused(logger, actor.Id);
            return OAuthOutcome.Problem(AccountProblems.OAuthStateInvalid);
        }
        var provider = payload.Provider;
        if (callback.Error is { } error)
        {
            return Refused(actor, provider, error, callback.ErrorDescription);
        }
        if (string.IsNullOrEmpty(callback.Code))
        {
            return OAuthOutcome.Problem(AccountProblems.OAuthFailed);
        }

        OAuthTokens tokens;
        string? email;
        try
        {
            var exchange = await client.ExchangeCodeAsync(provider, callback.Code, redirectUri, payload.CodeVerifier, cancellationToken);
            tokens = exchange.Tokens;
            email = string.IsNullOrWhiteSpace(options.Value.For(provider).UserInfoUrl)
                ? exchange.IdTokenClaims is { } claims ? OAuthClient.EmailOf(claims) : null
                : await client.UserEmailAsync(provider, tokens.AccessToken, cancellationToken);
        }
        catch (OAuthRefusal refusal)
        {
            return Refused(actor, provider, refusal.Error, refusal.Description);
        }
        catch (HttpRequestException)
        {
            return OAuthOutcome.Problem(AccountProblems.OAuthFailed);
        }
        email = email?.Trim().ToLowerInvariant();
        if (email is null || email.Length > 320 || !MailAddress.TryCreate(email, out _))
        {
            return OAuthOutcome.Problem(AccountProblems.OAuthNoEmail);
        }

        var existing = await db.MailAccounts.FirstOrDefaultAsync(a => a.UserId == actor.Id && a.Email == email, cancellationToken);
        if (payload.AccountId is { } reauthId && existing?.Id != reauthId)
        {
            // Signed in at the provider as another mailbox than the one to re-authenticate.
            return OAuthOutcome.Problem(AccountProblems.OAuthOtherMailbox);
        }
        if (existing is { AuthKind: AccountAuthKind.Password })
        {
            return OAuthOutcome.Problem("account_already_linked");
        }
        // Asked again on the way back: the role's permission may have been taken away meanwhile.
        if (existing is null && !await permissions.MayAddAccountsAsync(actor, cancellationToken))
        {
            return OAuthOutcome.Problem(AccountProblems.AddNotAllowed);
        }

        if (existing is null && !(await allowance.UsageAsync(cancellationToken)).Next.Allowed)
        {
            return OAuthOutcome.Problem(Plans.PlanProblems.EmailAccountsReached);
        }

        var servers = Servers(provider, email);
        var test = await tester.TestAsync(servers, AccountLogin.WithToken(email, tokens.AccessToken), cancellationToken);
        if (!test.Ok)
        {
            return new OAuthOutcome(null, AccountProblems.Code(test.Failure!.Value), test.FailedStep, test.Failure);
        }

        var account = existing ?? new MailAccount
        {
            UserId = actor.Id,
            Email = email,
            Provider = provider == OAuthProvider.Google ? MailProvider.Gmail : MailProvider.Outlook,
            ImapHost = servers.ImapHost,
            SmtpHost = servers.SmtpHost,
            Username = email,
            ProtectedSecret = "",
            CreatedAt = clock.GetUtcNow(),
        };
        account.AuthKind = AccountAuthKind.OAuth;
        account.ImapHost = servers.ImapHost;
        account.ImapPort = servers.ImapPort;
        account.ImapSecurity = servers.ImapSecurity;
        account.SmtpHost = servers.SmtpHost;
        account.SmtpPort = servers.SmtpPort;
        account.SmtpSecurity = servers.SmtpSecurity;
        account.ProtectedSecret = tokenStore.Protect(tokens);
        account.Health = AccountHealth.Active;
        account.LastErrorCode = null;
        try
        {
            if (existing is null)
            {
                db.Add(account);
                await allowance.SaveNewAsync(account, cancellationToken);
            }
            else
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateException)
        {
            return OAuthOutcome.Problem("account_already_linked");
        }
        catch (AppProblem problem) when (problem.Code == Plans.PlanProblems.EmailAccountsReached)
        {
            return OAuthOutcome.Problem(problem.Code);
        }
        if (existing is null)
        {
            AccountsLog.OAuthLinked(logger, account.Id, account.Email, provider, actor.Id);
        }
        else
        {
            AccountsLog.Reauthenticated(logger, account.Id, actor.Id);
        }
        return OAuthOutcome.Linked(account.Id);
    }

    /// <summary>
    /// A refusal at the provider. Microsoft's consent and policy refusals (the member or the tenant
    /// said no, an admin must consent, conditional access blocked it) are NAUTH_013 with its causes.
    /// </summary>
    private OAuthOutcome Refused(User actor, OAuthProvider provider, string error, string? description)
    {
        var aadsts = description is not null && Aadsts().Match(description) is { Success: true } m && int.TryParse(m.Groups[1].Value, out var n) ? n : (int?)null;
        var code = provider == OAuthProvider.Microsoft && (error is "access_denied" or "consent_required" or "interaction_required" || aadsts is not null)
            ? AccountProblems.MicrosoftRefused
            : error == "access_denied" ? AccountProblems.OAuthDenied : AccountProblems.OAuthFailed;
        AccountsLog.OAuthRefused(logger, provider, actor.Id, error.Length > 64 ? error[..64] : error, code);
        return OAuthOutcome.Problem(code, aadsts);
    }

    private MailboxSettings Servers(OAuthProvider provider, string email)
    {
        var o = options.Value.For(provider);
        var preset = ProviderCatalog.Find(provider == OAuthProvider.Google ? MailProvider.Gmail : MailProvider.Outlook)!;
        return new MailboxSettings(
            o.ImapHost ?? preset.ImapHost, o.ImapPort ?? preset.ImapPort, o.ImapSecurity ?? preset.ImapSecurity,
            o.SmtpHost ?? preset.SmtpHost, o.SmtpPort ?? preset.SmtpPort, o.SmtpSecurity ?? preset.SmtpSecurity,
            email, "");
    }

    [GeneratedRegex(@"AADSTS(\d{4,6})")]
    private static partial Regex Aadsts();
}
