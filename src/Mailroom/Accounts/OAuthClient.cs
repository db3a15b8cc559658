using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Mailroom.Accounts;

/// <summary>
/// The provider's token and userinfo endpoints (RFC 6749 4.1.3 and 6; PKCE per RFC 7636): the
/// code exchanged once, the refresh token traded for a new access token. The client secret and
/// the tokens travel only in these requests' bodies, never in a URL or a log line.
/// </summary>
public sealed class OAuthClient(IHttpClientFactory http, IOptions<OAuthOptions> options, TimeProvider clock)
{
    public const string HttpClientName = "Mailroom.OAuth";

    /// <summary>What a code exchange gives: the tokens, and the id token's claims when one came.</summary>
    public sealed record Exchange(OAuthTokens Tokens, JsonElement? IdTokenClaims);

    public async Task<Exchange> ExchangeCodeAsync(OAuthProvider provider, string code, string redirectUri, string codeVerifier, CancellationToken cancellationToken)
    {
        var response = await PostAsync(provider, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = codeVerifier,
        }, null, cancellationToken);
        var refresh = response.TryGetProperty("refresh_token", out var r) ? r.GetString() : null;
        if (string.IsNullOrEmpty(refresh))
        {
            // Without one Mailroom could not keep the mailbox working past the first hour.
            throw new OAuthRefusal("no_refresh_token", "The provider issued no refresh token; Google issues one only with offline access and consent.");
        }
        var claims = response.TryGetProperty("id_token", out var id) && id.GetString() is { } jwt ? ReadJwtPayload(jwt) : (JsonElement?)null;
        return new Exchange(Tokens(response, refresh), claims);
    }

    /// <summary>A new access token for <paramref name="tokens"/>' refresh token, keeping it when the provider does not rotate it.</summary>
    public async Task<OAuthTokens> RefreshAsync(OAuthProvider provider, OAuthTokens tokens, string? scope, CancellationToken cancellationToken)
    {
        var response = await PostAsync(provider, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = tokens.RefreshToken,
        }, scope, cancellationToken);
        var rotated = response.TryGetProperty("refresh_token", out var r) && r.GetString() is { Length: > 0 } next ? next : tokens.RefreshToken;
        return Tokens(response, rotated);
    }

    /// <summary>The mailbox's address from the userinfo endpoint (Google's <c>email</c>, Graph's <c>mail</c> or <c>userPrincipalName</c>).</summary>
    public async Task<string?> UserEmailAsync(OAuthProvider provider, string accessToken, CancellationToken cancellationToken)
    {
        var url = options.Value.For(provider).UserInfoUrl;
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new("Bearer", accessToken);
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new OAuthRefusal("userinfo_refused", $"The userinfo endpoint answered {(int)response.StatusCode}.");
        }
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return EmailOf(doc.RootElement);
    }

    /// <summary>The address a set of claims names: <c>email</c>, else <c>mail</c>, else <c>userPrincipalName</c> or <c>preferred_username</c> when it is an address.</summary>
    public static string? EmailOf(JsonElement claims)
    {
        foreach (var name in new[] { "email", "mail", "userPrincipalName", "preferred_username" })
        {
            if (claims.ValueKind == JsonValueKind.Object && claims.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { } s && s.Contains('@'))
            {
                return s;
            }
        }
        return null;
    }

    private async Task<JsonElement> PostAsync(OAuthProvider provider, Dictionary<string, string> form, string? scope, CancellationToken cancellationToken)
    {
        var settings = options.Value.For(provider);
        form["client_id"] = settings.ClientId!;
        form["client_secret"] = settings.ClientSecret!;
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.CreateClient(HttpClientName).PostAsync(settings.TokenUrl, content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement json;
        try
        {
            json = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new OAuthRefusal("invalid_response", $"The token endpoint answered {(int)response.StatusCode} without JSON.");
        }
        if (!response.IsSuccessStatusCode || json.TryGetProperty("error", out _))
        {
            var error = json.TryGetProperty("error", out var e) ? e.GetString() ?? "unknown" : "unknown";
            var description = json.TryGetProperty("error_description", out var d) ? d.GetString() : null;
            throw new OAuthRefusal(error, description is { Length: > 500 } ? description[..500] : description);
        }
        return json;
    }

    private OAuthTokens Tokens(JsonElement response, string refreshToken)
    {
        var access = response.TryGetProperty("access_token", out var a) ? a.GetString() : null;
        if (string.IsNullOrEmpty(access))
        {
            throw new OAuthRefusal("invalid_response", "The token endpoint answered without an access token.");
        }
        var seconds = response.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var n) ? n
            : response.TryGetProperty("expires_in", out e) && e.ValueKind == JsonValueKind.String && int.TryParse(e.GetString(), out n) ? n
            : 3600;
        return new OAuthTokens(refreshToken, access, clock.GetUtcNow().AddSeconds(seconds));
    }

    /// <summary>
    /// The id token's payload, unverified: it came straight from the token endpoint over the TLS
    /// connection Mailroom opened, which OpenID Connect Core 3.1.3.7 accepts in place of the signature.
    /// </summary>
    private static JsonElement? ReadJwtPayload(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length < 2)
        {
            return null;
        }
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement.Clone();
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
