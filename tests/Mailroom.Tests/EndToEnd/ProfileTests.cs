using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>A member's own password and time zone: what changes for the sessions and tokens they already have.</summary>
public partial class ProfileTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record Place(Guid Id, string Name);
    private sealed record Profile(Guid Id, string DisplayName, string? TimeZone, string TaskNotifications);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task PasswordChange_NeedsTheCurrentPassword_AndTheOldOneStopsSigningIn(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, mia) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = mia;

        await ExpectAsync(await mia.PostAsJsonAsync("/api/me/password", new { currentPassword = "not it", newPassword = "a new long password", signOutOtherSessions = false }),
            HttpStatusCode.BadRequest, "wrong_password");
        await ExpectAsync(await mia.PostAsJsonAsync("/api/me/password", new { currentPassword = "member-password", newPassword = "short", signOutOtherSessions = false }),
            HttpStatusCode.BadRequest, "invalid_password");
        // Neither refusal changed anything.
        await OkAsync(await server.Http.PostAsJsonAsync("/api/auth/token", new { email = "mia@acme.test", password = "member-password" }));

        await OkAsync(await mia.PostAsJsonAsync("/api/me/password", new { currentPassword = "member-password", newPassword = "a new long password", signOutOtherSessions = false }));

        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };
        await ExpectAsync(await anonymous.PostAsJsonAsync("/api/auth/token", new { email = "mia@acme.test", password = "member-password" }), HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal("Wrong email or password.", (await WebSignIn.PostAsync(server, "mia@acme.test", "member-password")).Error);
        await OkAsync(await anonymous.PostAsJsonAsync("/api/auth/token", new { email = "mia@acme.test", password = "a new long password" }));
        Assert.Equal(HttpStatusCode.Redirect, (await WebSignIn.PostAsync(server, "mia@acme.test", "a new long password")).Status);
        // Not asked to: her token keeps working.
        await OkAsync(await mia.GetAsync("/api/me"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task PasswordChange_SigningOutOthers_EndsTheOtherCookieSession_AndRevokesTokens(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, mia) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = mia;
        var other = await server.Http.PostAsync<TokenBody>("/api/auth/token", new { email = "mia@acme.test", password = "member-password", name = "CI" });

        // A browser session elsewhere (a laptop left signed in).
        using var laptop = await CookieClientAsync(server, "mia@acme.test", "member-password");
        await OkAsync(await laptop.GetAsync("/api/me"));
        await OkAsync(await mia.PostAsJsonAsync("/api/me/password", new { currentPassword = "member-password", newPassword = "a new long password", signOutOtherSessions = true }));

        await ExpectAsync(await laptop.GetAsync("/api/me"), HttpStatusCode.Unauthorized, "session_ended");
        using (var page = await laptop.GetAsync("/groups"))
        {
            Assert.DoesNotContain("Mia Member", await page.Content.ReadAsStringAsync());
        }
        using var ci = new HttpClient { BaseAddress = server.Http.BaseAddress };
        ci.DefaultRequestHeaders.Authorization = new("Bearer", other.Token);
        using (var revoked = await ci.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        }
        using (var revoked = await mia.GetAsync("/api/me"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        }
        // A new session with the new password works.
        using var again = await CookieClientAsync(server, "mia@acme.test", "a new long password");
        await OkAsync(await again.GetAsync("/api/me"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TimeZone_TimesOnThePagesAreInTheMembersZone(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var group = await server.Http.PostAsync<Place>("/api/groups", new { name = "Launch" });
        var post = await server.Http.PostAsync<Api.Post>($"/api/groups/{group.Id}/posts", new { title = "Hello", body = "First" });
        using var browser = await CookieClientAsync(server, "owner@acme.test", "correct horse battery");

        // Never chosen: UTC.
        Assert.Null((await server.Http.GetAsync<Profile>("/api/me/profile")).TimeZone);
        var (datetime, title) = await PostTimeAsync(browser, group.Id);
        Assert.Equal(post.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), datetime);
        Assert.Equal(Full(post.CreatedAt, "UTC"), title);

        await ExpectAsync(await server.Http.PatchAsJsonAsync("/api/me/profile", new { timeZone = "Mars/Olympus_Mons" }), HttpStatusCode.BadRequest, "invalid_time_zone");
        var profile = await (await server.Http.PatchAsJsonAsync("/api/me/profile", new { timeZone = "Asia/Tokyo" })).Content.ReadFromJsonAsync<Profile>();
        Assert.Equal("Asia/Tokyo", profile!.TimeZone);

        (datetime, title) = await PostTimeAsync(browser, group.Id);
        Assert.Equal(post.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), datetime);
        Assert.Equal(Full(post.CreatedAt, "Asia/Tokyo"), title);
    }

    private static string Full(DateTimeOffset at, string zone) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + $" ({zone})";

    private static async Task<(string DateTime, string Title)> PostTimeAsync(HttpClient browser, Guid groupId)
    {
        var html = await browser.GetStringAsync($"/groups/{groupId}");
        var match = PostTime().Match(html);
        Assert.True(match.Success, "no <time> in the post's header");
        return (match.Groups[1].Value, WebUtility.HtmlDecode(match.Groups[2].Value));
    }

    /// <summary>A client holding the cookie the sign-in form set, as a browser would.</summary>
    private static async Task<HttpClient> CookieClientAsync(MailroomServer server, string email, string password)
    {
        var answer = await WebSignIn.PostAsync(server, email, password);
        Assert.Equal(HttpStatusCode.Redirect, answer.Status);
        var cookies = answer.SetCookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith("mailroom.auth", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(cookies);
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.Http.BaseAddress };
        client.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies));
        return client;
    }

    private sealed record TokenBody(string Token);

    private static async Task OkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            await Api.EnsureAsync(response);
        }
    }

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(code, (await Api.ProblemAsync(response)).Code);
        }
    }

    [GeneratedRegex("<p class=\"post-author\">.*?<time datetime=\"([^\"]+)\" title=\"([^\"]+)\"", RegexOptions.Singleline)]
    private static partial Regex PostTime();
}
