using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Mailroom.Accounts;

/// <summary>
/// OAuth tokens at rest: one Data Protection ciphertext (refresh token, access token, expiry) in
/// the account's <see cref="MailAccount.ProtectedSecret"/>, under a purpose of its own, so a
/// password protector cannot open tokens nor tokens be passed off as a password.
/// </summary>
public sealed class OAuthTokenStore(IDataProtectionProvider provider)
{
    public const string Purpose = "Mailroom.Accounts.OAuth.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(OAuthTokens tokens) => _protector.Protect(JsonSerializer.Serialize(tokens));

    public OAuthTokens Unprotect(string protectedTokens) =>
        JsonSerializer.Deserialize<OAuthTokens>(_protector.Unprotect(protectedTokens)) ?? throw new InvalidOperationException("Empty token record.");
}
