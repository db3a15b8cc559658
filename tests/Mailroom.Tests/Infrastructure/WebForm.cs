using System.Net;
using System.Text.RegularExpressions;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// A page's form posted as a browser posts it: the form's page fetched first for its antiforgery
/// field and cookie, the caller's cookies (a signed-in session) sent along, no redirects followed,
/// so a test reads the very HTML the server returned.
/// </summary>
public static partial class WebForm
{
    public sealed record Answer(HttpStatusCode Status, string? Location, string Html, IReadOnlyList<string> Cookies);

    public static Task<Answer> PostAsync(MailroomServer server, string path, string formName, IDictionary<string, string> fields, IReadOnlyList<string>? cookies = null) =>
        SendAsync(server, path, cookies, antiforgery => new FormUrlEncodedContent(new Dictionary<string, string>(fields)
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = antiforgery,
        }));

    /// <summary>
    /// A <c>multipart/form-data</c> form, as a browser sends one with a file input: fields may
    /// repeat, and each file is a part named <paramref name="fileField"/> with its name and type.
    /// </summary>
    public static Task<Answer> PostMultipartAsync(MailroomServer server, string path, string formName, IEnumerable<(string Name, string Value)> fields,
        IEnumerable<(string FileName, string ContentType, byte[] Content)> files, IReadOnlyList<string> cookies, string fileField = "attachments") =>
        SendAsync(server, path, cookies, antiforgery =>
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent(formName), "_handler" },
                { new StringContent(antiforgery), "__RequestVerificationToken" },
            };
            foreach (var (name, value) in fields)
            {
                form.Add(new StringContent(value), name);
            }
            foreach (var (fileName, type, content) in files)
            {
                var part = new ByteArrayContent(content);
                part.Headers.ContentType = new(type);
                form.Add(part, fileField, fileName);
            }
            return form;
        });

    /// <summary>A page as the signed-in browser gets it (no redirect followed; a non-success status fails).</summary>
    public static async Task<string> GetAsync(MailroomServer server, string path, IReadOnlyList<string> cookies)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = server.Http.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", string.Join("; ", cookies));
        using var response = await http.SendAsync(request);
        await Api.EnsureAsync(response);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<Answer> SendAsync(MailroomServer server, string path, IReadOnlyList<string>? cookies, Func<string, HttpContent> content)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = server.Http.BaseAddress };
        var sent = (cookies ?? []).ToList();

        using var get = new HttpRequestMessage(HttpMethod.Get, path);
        if (sent.Count > 0)
        {
            get.Headers.Add("Cookie", string.Join("; ", sent));
        }
        using var form = await http.SendAsync(get);
        await Api.EnsureAsync(form);
        var antiforgery = AntiforgeryField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        sent.AddRange(form.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]) : []);

        using var post = new HttpRequestMessage(HttpMethod.Post, path) { Content = content(WebUtility.HtmlDecode(antiforgery)) };
        post.Headers.Add("Cookie", string.Join("; ", sent));
        using var response = await http.SendAsync(post);
        var answerCookies = response.Headers.TryGetValues("Set-Cookie", out var again) ? again.Select(c => c.Split(';')[0]).ToList() : [];
        return new Answer(response.StatusCode, response.Headers.Location?.ToString(), await response.Content.ReadAsStringAsync(), answerCookies);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
