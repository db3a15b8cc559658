using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Mailroom.Accounts;

/// <summary>
/// The <c>state</c> of an authorize request (RFC 6749 10.12): a Data Protection ciphertext under
/// its own purpose naming the member who started, the provider, the PKCE verifier and a nonce,
/// valid for <see cref="OAuthOptions.StateLifetime"/> and accepted once. A callback carrying
/// another member's state, an old one, or one already used links nothing.
/// </summary>
public sealed class OAuthState(IDataProtectionProvider provider, IOptions<OAuthOptions> options, TimeProvider clock)
{
    public const string Purpose = "Mailroom.Accounts.OAuth.State.v1";

    /// <summary>What the state carries. <see cref="AccountId"/>: set when the flow re-authenticates an account.</summary>
    public sealed record Payload(string Nonce, Guid UserId, OAuthProvider Provider, string CodeVerifier, Guid? AccountId);

    private readonly ITimeLimitedDataProtector _protector = provider.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    // Nonces seen, until their state would have expired anyway. Per instance: the provider itself
    // accepts each code once, which also holds across instances.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new();

    public (string State, Payload Payload) Create(Guid userId, OAuthProvider oauthProvider, Guid? accountId)
    {
        var payload = new Payload(Base64Url(RandomNumberGenerator.GetBytes(16)), userId, oauthProvider, Base64Url(RandomNumberGenerator.GetBytes(32)), accountId);
        var expires = clock.GetUtcNow() + options.Value.StateLifetime;
        return (_protector.Protect(JsonSerializer.Serialize(payload), expires), payload);
    }

    /// <summary>The payload of a valid, unexpired, unused state of <paramref name="userId"/>; null otherwise. Consumes it.</summary>
    public Payload? Consume(string? state, Guid userId)
    {
        if (string.IsNullOrEmpty(state) || state.Length > 4000)
        {
            return null;
        }
        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(_protector.Unprotect(state, out _));
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
        if (payload is null || payload.UserId != userId)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        foreach (var (nonce, until) in _used)
        {
            if (until < now)
            {
                _used.TryRemove(nonce, out _);
            }
        }
        return _used.TryAdd(payload.Nonce, now + options.Value.StateLifetime) ? payload : null;
    }

    /// <summary>RFC 7636 4.2: S256, the challenge the authorize request carries for <paramref name="verifier"/>.</summary>
    public static string Challenge(string verifier) => Base64Url(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
