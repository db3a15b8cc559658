using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// A provider's OAuth 2.0 endpoints on loopback, standing in for Google's or Microsoft's (which
/// cannot run here): /authorize approves at once (or denies consent as Microsoft does), /token
/// serves the authorization_code grant with PKCE checked and the refresh_token grant (rotating the
/// refresh token, or refusing it with invalid_grant), /introspect answers Dovecot's oauth2 passdb.
/// </summary>
public sealed class OAuthStandIn : IAsyncDisposable
{
    public const string ClientId = "mailroom-test-client";
    public const string ClientSecret = "stand-in-client-secret-5521";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string Challenge, string Email, string RedirectUri)> _codes = new();
    private readonly ConcurrentDictionary<string, (string Email, DateTimeOffset ExpiresAt)> _accessTokens = new();
    private readonly ConcurrentDictionary<string, string> _refreshTokens = new();
    private int _refreshes;

    private OAuthStandIn(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Who signs in at the provider.</summary>
    public string Email { get; set; } = "mia@mail.test";

    /// <summary>How long issued access tokens live.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Refuse every refresh with invalid_grant (a revoked grant).</summary>
    public bool RefuseRefresh { get; set; }

    /// <summary>Redirect back with this error instead of a code (e.g. access_denied and an AADSTS description).</summary>
    public (string Error, string Description)? DenyConsent { get; set; }

    public int Refreshes => _refreshes;

    public bool IsActive(string accessToken) => _accessTokens.TryGetValue(accessToken, out var t) && t.ExpiresAt > DateTimeOffset.UtcNow;

    /// <summary>Every access token issued so far (to check none is stored in clear).</summary>
    public IReadOnlyCollection<string> IssuedAccessTokens => _accessTokens.Keys.ToList();
    public IReadOnlyCollection<string> IssuedRefreshTokens => _refreshTokens.Keys.ToList();

    /// <summary>Every access token issued so far stops being valid now, though Mailroom believes it lives on.</summary>
    public void ExpireAccessTokens()
    {
        foreach (var token in _accessTokens.Keys)
        {
            _accessTokens[token] = (_accessTokens[token].Email, DateTimeOffset.UtcNow.AddSeconds(-1));
        }
    }

    /// <summary>The settings pointing Mailroom's <paramref name="provider"/> client at this stand-in and its mailbox at <paramref name="mail"/>.</summary>
    public Dictionary<string, string> Settings(string provider, MailServer mail) => new()
    {
        [$"Mailroom:Accounts:OAuth:{provider}:ClientId"] = ClientId,
        [$"Mailroom:Accounts:OAuth:{provider}:ClientSecret"] = ClientSecret,
        [$"Mailroom:Accounts:OAuth:{provider}:AuthorizeUrl"] = $"{BaseUrl}/authorize",
        [$"Mailroom:Accounts:OAuth:{provider}:TokenUrl"] = $"{BaseUrl}/token",
        [$"Mailroom:Accounts:OAuth:{provider}:ImapHost"] = "127.0.0.1",
        [$"Mailroom:Accounts:OAuth:{provider}:ImapPort"] = mail.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"Mailroom:Accounts:OAuth:{provider}:ImapSecurity"] = "None",
        [$"Mailroom:Accounts:OAuth:{provider}:SmtpHost"] = "127.0.0.1",
        [$"Mailroom:Accounts:OAuth:{provider}:SmtpPort"] = mail.SubmissionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"Mailroom:Accounts:OAuth:{provider}:SmtpSecurity"] = "None",
    };

    public static async Task<OAuthStandIn> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new OAuthStandIn(app, port);
        app.MapGet("/authorize", standIn.Authorize);
        app.MapPost("/token", standIn.TokenAsync);
        app.MapPost("/introspect", standIn.IntrospectAsync);
        await app.StartAsync();
        return standIn;
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        var redirect = q["redirect_uri"].ToString();
        var state = Uri.EscapeDataString(q["state"].ToString());
        if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]))
        {
            return Results.BadRequest("bad authorize request");
        }
        if (DenyConsent is { } deny)
        {
            return Results.Redirect($"{redirect}?error={Uri.EscapeDataString(deny.Error)}&error_description={Uri.EscapeDataString(deny.Description)}&state={state}");
        }
        var code = Random();
        _codes[code] = (q["code_challenge"].ToString(), Email, redirect);
        return Results.Redirect($"{redirect}?code={code}&state={state}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Error("invalid_client");
        }
        if (form["grant_type"] == "authorization_code")
        {
            if (!_codes.TryRemove(form["code"].ToString(), out var grant) || grant.RedirectUri != form["redirect_uri"])
            {
                return Error("invalid_grant");
            }
            var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return challenge == grant.Challenge ? Issue(grant.Email, idToken: true) : Error("invalid_grant");
        }
        if (form["grant_type"] == "refresh_token")
        {
            Interlocked.Increment(ref _refreshes);
            if (RefuseRefresh || !_refreshTokens.TryRemove(form["refresh_token"].ToString(), out var email))
            {
                return Error("invalid_grant");
            }
            return Issue(email, idToken: false);
        }
        return Error("unsupported_grant_type");
    }

    private async Task<IResult> IntrospectAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var active = _accessTokens.TryGetValue(form["token"].ToString(), out var token) && token.ExpiresAt > DateTimeOffset.UtcNow;
        return active ? Results.Json(new { active = "true", email = token.Email }) : Results.Json(new { active = "false" });
    }

    private IResult Issue(string email, bool idToken)
    {
        var access = Random();
        var refresh = Random();
        _accessTokens[access] = (email, DateTimeOffset.UtcNow + TokenLifetime);
        _refreshTokens[refresh] = email;
        var body = new Dictionary<string, object>
        {
            ["access_token"] = access,
            ["refresh_token"] = refresh,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)TokenLifetime.TotalSeconds,
        };
        if (idToken)
        {
            body["id_token"] = $"{B64("{\"alg\":\"none\"}")}.{B64(JsonSerializer.Serialize(new { email, sub = email }))}.";
        }
        return Results.Json(body);
    }

    private static IResult Error(string error) => Results.Json(new { error }, statusCode: 400);

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Random() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>
/// Microsoft Graph's <c>POST /v1.0/me/sendMail</c> on loopback: checks the bearer token with the
/// <see cref="OAuthStandIn"/>, decodes the base64 MIME and keeps it; or refuses as told.
/// </summary>
public sealed class GraphStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GraphStandIn(WebApplication app, int port)
    {
        _app = app;
        BaseUrl = $"http://127.0.0.1:{port}/v1.0";
    }

    public string BaseUrl { get; }
    public List<byte[]> Received { get; } = [];

    /// <summary>Answer with this status and Graph error code instead of accepting.</summary>
    public (int Status, string Code)? Refuse { get; set; }

    public static async Task<GraphStandIn> StartAsync(OAuthStandIn provider)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var graph = new GraphStandIn(app, port);
        app.MapPost("/v1.0/me/sendMail", async (HttpRequest request) =>
        {
            var auth = request.Headers.Authorization.ToString();
            if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !provider.IsActive(auth["Bearer ".Length..]))
            {
                return Results.Json(new { error = new { code = "InvalidAuthenticationToken", message = "Access token is empty or invalid." } }, statusCode: 401);
            }
            if (graph.Refuse is { } refuse)
            {
                return Results.Json(new { error = new { code = refuse.Code, message = "Refused by the stand-in." } }, statusCode: refuse.Status);
            }
            if (request.ContentType?.StartsWith("text/plain", StringComparison.Ordinal) != true)
            {
                return Results.Json(new { error = new { code = "ErrorMimeContentInvalid", message = "Expected text/plain." } }, statusCode: 400);
            }
            using var reader = new StreamReader(request.Body);
            var mime = Convert.FromBase64String(await reader.ReadToEndAsync());
            lock (graph.Received)
            {
                graph.Received.Add(mime);
            }
            return Results.StatusCode(202);
        });
        await app.StartAsync();
        return graph;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
