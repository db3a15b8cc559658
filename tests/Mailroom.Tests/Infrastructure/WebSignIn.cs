using System.Net;
using System.Text.RegularExpressions;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// The sign-in form posted as a browser posts it (antiforgery cookie and field included), with
/// no cookie jar, so a test sees every <c>Set-Cookie</c> exactly as the server wrote it.
/// </summary>
public static partial class WebSignIn
{
    /// <param name="PostMs">How long the form's POST took, without the GET of the form.</param>
    public sealed record Answer(HttpStatusCode Status, string? Location, IReadOnlyList<string> SetCookies, string? Error, double PostMs);

    public static async Task<Answer> PostAsync(MailroomServer server, string email, string password, IDictionary<string, string>? headers = null)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = server.Http.BaseAddress };
        using var form = await http.GetAsync("/signin");
        await Api.EnsureAsync(form);
        var html = await form.Content.ReadAsStringAsync();
        var antiforgery = AntiforgeryField().Match(html).Groups[1].Value;
        var cookies = form.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]) : [];

        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "signin",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery),
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }),
        };
        request.Headers.Add("Cookie", string.Join("; ", cookies));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        var error = AlertText().Match(body) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value.Trim()) : null;
        return new Answer(response.StatusCode, response.Headers.Location?.ToString(),
            response.Headers.TryGetValues("Set-Cookie", out var answerCookies) ? answerCookies.ToList() : [], error, elapsed);
    }

    /// <summary>The session cookies (name=value) a browser keeps after signing in with the form.</summary>
    public static async Task<List<string>> CookiesAsync(MailroomServer server, string email, string password = "member-password")
    {
        var answer = await PostAsync(server, email, password);
        Assert.True(answer.Status == HttpStatusCode.Redirect, $"Sign-in of {email}: {(int)answer.Status} {answer.Error}");
        return answer.SetCookies.Select(c => c.Split(';')[0]).ToList();
    }

    /// <summary>A page as the signed-in browser gets it, its HTML decoded (so the text reads as shown).</summary>
    public static async Task<string> PageAsync(MailroomServer server, string path, IReadOnlyList<string> cookies) =>
        WebUtility.HtmlDecode(await WebForm.GetAsync(server, path, cookies));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("role=\"alert\"[^>]*>.*?<p>(.*?)</p>", RegexOptions.Singleline)]
    private static partial Regex AlertText();
}
