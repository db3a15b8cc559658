using Microsoft.AspNetCore.DataProtection;

namespace Mailroom.Accounts;

/// <summary>
/// Mailbox passwords at rest: Data Protection ciphertext under a purpose of their own, so no
/// other protector of the app (cookies, antiforgery) can read them, nor they be replayed as one.
/// </summary>
public sealed class AccountSecrets(IDataProtectionProvider provider)
{
    /// <summary>Versioned: a later format (tokens with their expiry) gets a new purpose, and old rows stay readable by this one.</summary>
    public const string Purpose = "Mailroom.Accounts.Secret.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
