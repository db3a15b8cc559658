using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>Signing in tells nobody which accounts exist, and the cookie is Secure behind HTTPS.</summary>
public class SignInTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TokenApi_UnknownEmailAndWrongPassword_GetTheSameAnswer_InAboutTheSameTime(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };

        async Task<(HttpStatusCode Status, string Body, double Ms)> TryAsync(string email)
        {
            var watch = Stopwatch.StartNew();
            using var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { email, password = "not the password" });
            // Everything but the trace id, which differs for every request.
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            body.Remove("traceId");
            return (response.StatusCode, body.ToJsonString(), watch.Elapsed.TotalMilliseconds);
        }

        var wrong = await TryAsync("mia@acme.test");
        var unknown = await TryAsync("nobody@acme.test");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(wrong.Status, unknown.Status);
        Assert.Equal(wrong.Body, unknown.Body);
        Assert.Contains("\"code\":\"invalid_credentials\"", unknown.Body);

        // Rough timing: an unknown email costs a password hash too (the median of ten each,
        // alternating; a right password now and then, so Mia is never locked out meanwhile).
        var wrongTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            wrongTimes.Add((await TryAsync("mia@acme.test")).Ms);
            unknownTimes.Add((await TryAsync($"nobody{i}@acme.test")).Ms);
            if (i % 3 == 2)
            {
                using var right = await anonymous.PostAsJsonAsync("/api/auth/token", new { email = "mia@acme.test", password = "member-password" });
                await Api.EnsureAsync(right);
            }
        }
        var (w, u) = (Median(wrongTimes), Median(unknownTimes));
        Assert.True(u * 3 > w && w * 3 > u, $"median {u:F1} ms for an unknown email against {w:F1} ms for a wrong password");
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task WebForm_UnknownEmailAndWrongPassword_ShowTheSameSentence(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();

        var wrongTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            var wrong = await WebSignIn.PostAsync(server, "owner@acme.test", "not the password");
            var unknown = await WebSignIn.PostAsync(server, $"nobody{i}@acme.test", "not the password");
            Assert.Equal("Wrong email or password.", wrong.Error);
            Assert.Equal(wrong.Status, unknown.Status);
            Assert.Equal(wrong.Error, unknown.Error);
            Assert.DoesNotContain(unknown.SetCookies, c => c.StartsWith("mailroom.auth="));
            wrongTimes.Add(wrong.PostMs);
            unknownTimes.Add(unknown.PostMs);
        }
        var (w, u) = (Median(wrongTimes), Median(unknownTimes));
        Assert.True(u * 3 > w && w * 3 > u, $"median {u:F1} ms for an unknown email against {w:F1} ms for a wrong password");

        var right = await WebSignIn.PostAsync(server, "owner@acme.test", "correct horse battery");
        Assert.Equal(HttpStatusCode.Redirect, right.Status);
        Assert.Contains(right.SetCookies, c => c.StartsWith("mailroom.auth="));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AuthCookie_BehindAConfiguredHttpsProxy_IsSecure_FromAnyoneElseTheHeaderIsIgnored(Database database)
    {
        var https = new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-For"] = "203.0.113.9" };

        await using (var trusted = await MailroomServer.StartAsync(database, new Dictionary<string, string> { ["Mailroom:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" }))
        {
            await trusted.SetupAsync();
            var viaProxy = await WebSignIn.PostAsync(trusted, "owner@acme.test", "correct horse battery", https);
            Assert.Contains("secure", AuthCookie(viaProxy).Split(';').Select(p => p.Trim().ToLowerInvariant()));
            // Plain http from the proxy (no header): not Secure, or http-only setups could not sign in.
            var plain = await WebSignIn.PostAsync(trusted, "owner@acme.test", "correct horse battery");
            Assert.DoesNotContain("secure", AuthCookie(plain).Split(';').Select(p => p.Trim().ToLowerInvariant()));
        }

        await using var elsewhere = await MailroomServer.StartAsync(database, new Dictionary<string, string> { ["Mailroom:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8" });
        await elsewhere.SetupAsync();
        var spoofed = await WebSignIn.PostAsync(elsewhere, "owner@acme.test", "correct horse battery", https);
        Assert.DoesNotContain("secure", AuthCookie(spoofed).Split(';').Select(p => p.Trim().ToLowerInvariant()));
    }

    private static string AuthCookie(WebSignIn.Answer answer) =>
        Assert.Single(answer.SetCookies, c => c.StartsWith("mailroom.auth="));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
