using System.Net.Mail;
using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Permissions;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Accounts;

/// <summary>Linking, listing and removing connected mailboxes; an account is saved only after its connection test passed.</summary>
public sealed class AccountService(MailroomDb db, ConnectionTester tester, AccountSecrets secrets, AccountPermissions permissions, AccountAllowance allowance, TimeProvider clock, ILogger<AccountService> logger)
{
    /// <summary>The outcome of a link: the saved account, or the failed test and nothing saved.</summary>
    public sealed record LinkOutcome(ConnectionTestResult Test, AccountView? Account);

    public async Task<ConnectionTestResult> TestAsync(User actor, LinkAccountRequest request, CancellationToken cancellationToken)
    {
        await permissions.RequireMayAddAccountsAsync(actor, cancellationToken);
        return await tester.TestAsync(Settings(request), cancellationToken);
    }

    public async Task<LinkOutcome> LinkAsync(User actor, LinkAccountRequest request, CancellationToken cancellationToken)
    {
        await permissions.RequireMayAddAccountsAsync(actor, cancellationToken);
        var settings = Settings(request);
        var email = request.Email!.Trim().ToLowerInvariant();
        if (await db.MailAccounts.AnyAsync(a => a.UserId == actor.Id && a.Email == email, cancellationToken))
        {
            throw AppProblem.Conflict("account_already_linked", $"You already linked {email}.");
        }
        // Before the connection test: a member is not made to wait for a refusal the plan gives anyway.
        await allowance.RequireMayLinkAsync(cancellationToken);
        var test = await tester.TestAsync(settings, cancellationToken);
        if (!test.Ok)
        {
            return new LinkOutcome(test, null);
        }
        var account = new MailAccount
        {
            UserId = actor.Id,
            Email = email,
            SendAsName = string.IsNullOrWhiteSpace(request.SendAsName) ? null : request.SendAsName.Trim(),
            Provider = request.Provider,
            ImapHost = settings.ImapHost,
            ImapPort = settings.ImapPort,
            ImapSecurity = settings.ImapSecurity,
            SmtpHost = settings.SmtpHost,
            SmtpPort = settings.SmtpPort,
            SmtpSecurity = settings.SmtpSecurity,
            Username = settings.Username,
            ProtectedSecret = secrets.Protect(settings.Password),
            // A preset's provider is known to do it or not; a custom server is taken at the member's word.
            ServerSavesSentCopy = ProviderCatalog.Find(request.Provider)?.SavesSentCopy ?? request.ServerSavesSentCopy ?? false,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Add(account);
        try
        {
            await allowance.SaveNewAsync(account, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two links of one address at once: the unique index kept one.
            throw AppProblem.Conflict("account_already_linked", $"You already linked {email}.");
        }
        AccountsLog.Linked(logger, account.Id, account.Email, actor.Id);
        return new LinkOutcome(test, View(account, actor.DisplayName));
    }

    public async Task<IReadOnlyList<AccountView>> ListAsync(User actor, CancellationToken cancellationToken)
    {
        permissions.RequireNotGuest(actor);
        var query = db.MailAccounts.AsNoTracking();
        if (!permissions.SeesEveryAccount(actor))
        {
            query = query.Where(a => a.UserId == actor.Id);
        }
        var rows = await query
            .Join(db.Users, a => a.UserId, u => u.Id, (a, u) => new { Account = a, u.DisplayName })
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.Account.Email, StringComparer.Ordinal).ThenBy(r => r.Account.Id)
            .Select(r => View(r.Account, r.DisplayName)).ToList();
    }

    public async Task RemoveAsync(User actor, Guid id, CancellationToken cancellationToken)
    {
        permissions.RequireNotGuest(actor);
        var account = await db.MailAccounts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null)
        {
            throw AppProblem.NotFound("The email account");
        }
        permissions.RequireMayRemove(actor, account);
        db.Remove(account);
        await db.SaveChangesAsync(cancellationToken);
        AccountsLog.Removed(logger, account.Id, actor.Id);
    }

    /// <summary>
    /// The account <paramref name="actor"/> sends from — their own, or one its linker granted
    /// them — or ACCESS_137 when they may not: the composer and the outbox ask this before anything is queued.
    /// </summary>
    public async Task<MailAccount> AccountToSendFromAsync(User actor, Guid accountId, CancellationToken cancellationToken)
    {
        // The role first (B18): a member whose role may not send hears that, whichever account they picked.
        await permissions.RequireMaySendEmailAsync(actor, cancellationToken);
        var account = await db.MailAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null || !await permissions.MaySendAsync(actor, account, cancellationToken))
        {
            // The same answer for an account that does not exist: ids of others' mailboxes are not probed.
            throw new AppProblem(StatusCodes.Status403Forbidden, AccountProblems.SendNotAllowed, AccountProblems.AccessRemedy);
        }
        return account;
    }

    /// <summary>The accounts <paramref name="actor"/> may send from (their own, then those granted to them), for the composer's From field; none when their role may not send email.</summary>
    public async Task<IReadOnlyList<AccountView>> SendableAsync(User actor, CancellationToken cancellationToken)
    {
        permissions.RequireNotGuest(actor);
        if (!await permissions.MaySendEmailAsync(actor, cancellationToken))
        {
            return [];
        }
        var rows = await permissions.Sendable(actor).AsNoTracking()
            .Join(db.Users, a => a.UserId, u => u.Id, (a, u) => new { Account = a, u.DisplayName })
            .ToListAsync(cancellationToken);
        return rows
            .OrderBy(r => r.Account.UserId == actor.Id ? 0 : 1).ThenBy(r => r.Account.Email, StringComparer.Ordinal).ThenBy(r => r.Account.Id)
            .Select(r => View(r.Account, r.DisplayName)).ToList();
    }

    /// <summary>
    /// "Test connection" of a saved account, with its stored credentials (an OAuth token refreshed
    /// as the sender would). A pass makes the account Active again.
    /// </summary>
    public async Task<ConnectionTestResult> TestSavedAsync(User actor, Guid id, CancellationToken cancellationToken)
    {
        var account = await FindAsync(actor, id, cancellationToken);
        permissions.RequireMayTest(actor, account);
        var result = await tester.TestAsync(account, cancellationToken);
        if (result.Ok && (account.Health != AccountHealth.Active || account.LastErrorCode is not null))
        {
            await db.MailAccounts.Where(a => a.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Health, AccountHealth.Active)
                .SetProperty(a => a.LastErrorCode, (string?)null), cancellationToken);
            await ForgetRefusalsAsync(id, cancellationToken);
        }
        return result;
    }

    /// <summary>
    /// Re-authenticating a password account: the new password is tested against the account's
    /// servers and saved only when both logins pass; the account is then Active again.
    /// </summary>
    public async Task<ConnectionTestResult> ChangePasswordAsync(User actor, Guid id, string? password, CancellationToken cancellationToken)
    {
        var account = await FindAsync(actor, id, cancellationToken);
        permissions.RequireMayReauthenticate(actor, account);
        if (account.AuthKind != AccountAuthKind.Password)
        {
            throw AppProblem.Invalid("account_uses_oauth", "This account signs in through its provider: re-authenticate it with the provider's sign-in instead.");
        }
        if (string.IsNullOrEmpty(password) || password.Length > 1000)
        {
            throw AppProblem.Invalid("password_required", "Enter the mailbox's password or app password.");
        }
        var settings = new MailboxSettings(account.ImapHost, account.ImapPort, account.ImapSecurity, account.SmtpHost, account.SmtpPort, account.SmtpSecurity, account.Username, password);
        var result = await tester.TestAsync(settings, cancellationToken);
        if (result.Ok)
        {
            account.ProtectedSecret = secrets.Protect(password);
            account.Health = AccountHealth.Active;
            account.LastErrorCode = null;
            await db.SaveChangesAsync(cancellationToken);
            await ForgetRefusalsAsync(account.Id, cancellationToken);
            AccountsLog.Reauthenticated(logger, account.Id, actor.Id);
        }
        return result;
    }

    /// <summary>The logins refused before the credentials were fixed no longer count in a row (watcher's and outbox's alike).</summary>
    private Task<int> ForgetRefusalsAsync(Guid accountId, CancellationToken cancellationToken) =>
        db.AccountWatches.Where(w => w.AccountId == accountId && w.ConsecutiveAuthFailures > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.ConsecutiveAuthFailures, 0), cancellationToken);

    /// <summary>How the account's email leaves: Graph only for a Microsoft account linked through OAuth (Graph takes no password).</summary>
    public async Task<AccountView> SetSendViaAsync(User actor, Guid id, SendVia sendVia, CancellationToken cancellationToken)
    {
        var account = await FindAsync(actor, id, cancellationToken);
        permissions.RequireMayReauthenticate(actor, account);
        if (!Enum.IsDefined(sendVia))
        {
            throw AppProblem.Invalid("invalid_send_via", "Pick Auto, Smtp or Graph.");
        }
        if (sendVia == SendVia.Graph && !(account.AuthKind == AccountAuthKind.OAuth && account.Provider == MailProvider.Outlook))
        {
            throw AppProblem.Invalid("graph_needs_microsoft_oauth", "Only an Outlook / Microsoft 365 account linked with Microsoft's sign-in can send through Microsoft Graph.");
        }
        account.SendVia = sendVia;
        await db.SaveChangesAsync(cancellationToken);
        return View(account, actor.DisplayName);
    }

    /// <summary>Changes the name shown in From ("send as"); null or blank sends the bare address. The linker's decision only.</summary>
    public async Task<AccountView> SetSendAsNameAsync(User actor, Guid accountId, string? sendAsName, CancellationToken cancellationToken)
    {
        permissions.RequireNotGuest(actor);
        var account = await db.MailAccounts.FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken)
            ?? throw new AppProblem(StatusCodes.Status403Forbidden, AccountProblems.SendNotAllowed, AccountProblems.AccessRemedy);
        permissions.RequireIsLinker(actor, account);
        var name = string.IsNullOrWhiteSpace(sendAsName) ? null : sendAsName.Trim();
        if (name is { Length: > 200 })
        {
            throw AppProblem.Invalid("invalid_send_as_name", "The display name is longer than 200 characters.");
        }
        if (name is not null && name.Any(char.IsControl))
        {
            throw AppProblem.Invalid("invalid_send_as_name", "The display name cannot hold line breaks or control characters.");
        }
        account.SendAsName = name;
        await db.SaveChangesAsync(cancellationToken);
        return View(account, actor.DisplayName);
    }

    /// <summary>The member's own accounts that need them to sign in again, for the layout's banner.</summary>
    public async Task<IReadOnlyList<AccountView>> NeedingReauthenticationAsync(User actor, CancellationToken cancellationToken)
    {
        if (actor.Role == WorkspaceRole.Guest)
        {
            return [];
        }
        var rows = await db.MailAccounts.AsNoTracking()
            .Where(a => a.UserId == actor.Id && a.Health == AccountHealth.NeedsReauthentication)
            .ToListAsync(cancellationToken);
        return rows.OrderBy(a => a.Email, StringComparer.Ordinal).Select(a => View(a, actor.DisplayName)).ToList();
    }

    private async Task<MailAccount> FindAsync(User actor, Guid id, CancellationToken cancellationToken)
    {
        permissions.RequireNotGuest(actor);
        return await db.MailAccounts.FirstOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw AppProblem.NotFound("The email account");
    }

    /// <summary>The servers to test: the preset's for a known provider, the request's for Custom.</summary>
    private static MailboxSettings Settings(LinkAccountRequest request)
    {
        if (!Enum.IsDefined(request.Provider))
        {
            throw AppProblem.Invalid("invalid_provider", "Pick a provider: Gmail, Outlook, Yahoo, ICloud, Fastmail or Custom.");
        }
        var email = request.Email?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > 320 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            throw AppProblem.Invalid("invalid_email", "Enter the email address of the mailbox, e.g. name@example.com.");
        }
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > 1000)
        {
            throw AppProblem.Invalid("password_required", "Enter the mailbox's password or app password.");
        }
        var username = string.IsNullOrWhiteSpace(request.Username) ? email : request.Username.Trim();
        if (username.Length > 320)
        {
            throw AppProblem.Invalid("invalid_username", "The username is longer than 320 characters.");
        }
        if (request.SendAsName is { Length: > 200 })
        {
            throw AppProblem.Invalid("invalid_send_as_name", "The display name is longer than 200 characters.");
        }
        if (ProviderCatalog.Find(request.Provider) is { } preset)
        {
            return new MailboxSettings(preset.ImapHost, preset.ImapPort, preset.ImapSecurity, preset.SmtpHost, preset.SmtpPort, preset.SmtpSecurity, username, request.Password);
        }
        return new MailboxSettings(
            Host(request.ImapHost, "IMAP"), Port(request.ImapPort, "IMAP"), Security(request.ImapSecurity, "IMAP"),
            Host(request.SmtpHost, "SMTP"), Port(request.SmtpPort, "SMTP"), Security(request.SmtpSecurity, "SMTP"),
            username, request.Password);
    }

    private static string Host(string? host, string server)
    {
        host = host?.Trim();
        return !string.IsNullOrEmpty(host) && host.Length <= 255 && Uri.CheckHostName(host) != UriHostNameType.Unknown
            ? host
            : throw AppProblem.Invalid("invalid_host", $"Enter the {server} server's host name, e.g. {server.ToLowerInvariant()}.example.com.");
    }

    private static int Port(int? port, string server) => port is >= 1 and <= 65535
        ? port.Value
        : throw AppProblem.Invalid("invalid_port", $"Enter the {server} server's port (1–65535).");

    private static MailSecurity Security(MailSecurity? security, string server) => security is { } s && Enum.IsDefined(s)
        ? s
        : throw AppProblem.Invalid("invalid_security", $"Pick the {server} server's security: None, SslOnConnect, StartTls or StartTlsWhenAvailable.");

    private static AccountView View(MailAccount a, string linkedBy) => new(
        a.Id, a.UserId, linkedBy, a.Email, a.SendAsName, a.Provider,
        a.ImapHost, a.ImapPort, a.ImapSecurity, a.SmtpHost, a.SmtpPort, a.SmtpSecurity,
        a.Username, a.Health, a.LastErrorCode, ProviderCatalog.Find(a.Provider)?.AttachmentLimitBytes, a.CreatedAt,
        a.AuthKind, a.SendVia, AccountProblems.Remedy(a.LastErrorCode), ProviderCatalog.Find(a.Provider)?.SavesSentCopy ?? a.ServerSavesSentCopy);
}
