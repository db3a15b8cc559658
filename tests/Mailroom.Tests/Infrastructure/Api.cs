using System.Net.Http.Json;
using System.Text.Json;

namespace Mailroom.Tests.Infrastructure;

/// <summary>The API's shapes as a client sees them, and small helpers to call it.</summary>
public static class Api
{
    public sealed record SetupResponse(Guid WorkspaceId, Guid UserId, string Token);
    public sealed record Integration(Guid Id, Guid GroupId, string GroupName, string Title, string Address);
    public sealed record IntegrationList(int Active, int? Limit, string PlanId, string PlanName, bool CanAdd, List<Integration> Items);
    public sealed record Attachment(Guid Id, string FileName, string ContentType, long Size, string DownloadUrl, string? ThumbnailUrl = null);
    public sealed record Post(Guid Id, Guid GroupId, string Title, string Body, bool FromEmail, string Author, string? AuthorEmail, string? AuthorName, string? Notes, DateTimeOffset CreatedAt, bool HasOriginal, List<Attachment> Attachments, string? BodyHtml = null, bool SenderUnverified = false);
    public sealed record InboundEntry(Guid Id, string Status, string? Kind, string? Outcome, string? FromAddress, string? Subject, List<string> Recipients, int Attempts, bool? FromAuthenticated = null, string? Authentication = null);
    public sealed record Member(Guid Id, string DisplayName, string Email, string Role);
    public sealed record Problem(int Status, string Code, string? Detail);

    public static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static async Task<T> GetAsync<T>(this HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public static async Task<T> PostAsync<T>(this HttpClient http, string url, object body)
    {
        using var response = await http.PostAsJsonAsync(url, body);
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public static async Task<Problem> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        return new Problem(root.GetProperty("status").GetInt32(), root.GetProperty("code").GetString()!,
            root.TryGetProperty("detail", out var d) ? d.GetString() : null);
    }

    public static Task<Integration> AddIntegrationAsync(this HttpClient http, string title, string? newGroupName = null, Guid? groupId = null) =>
        http.PostAsync<Integration>("/api/integrations/email", new { title, newGroupName = groupId is null ? newGroupName ?? title + " group" : null, groupId });

    public static Task<List<Post>> FeedAsync(this HttpClient http, Guid groupId, int take = 200) =>
        http.GetAsync<List<Post>>($"/api/groups/{groupId}/posts?take={take}");

    /// <summary>Every post of a group, paging through the feed (pages overlap by a tick; posts are told apart by id).</summary>
    public static async Task<List<Post>> WholeFeedAsync(this HttpClient http, Guid groupId)
    {
        var all = new Dictionary<Guid, Post>();
        DateTimeOffset? before = null;
        while (true)
        {
            var url = $"/api/groups/{groupId}/posts?take=200" + (before is { } b ? "&before=" + Uri.EscapeDataString(b.ToString("O")) : "");
            var page = await http.GetAsync<List<Post>>(url);
            var added = page.Count(p => all.TryAdd(p.Id, p));
            if (page.Count < 200 || added == 0)
            {
                return all.Values.ToList();
            }
            before = page[^1].CreatedAt.AddMilliseconds(1);
        }
    }

    /// <summary>Waits until the processor has handled every accepted message.</summary>
    public static async Task WaitUntilProcessedAsync(this HttpClient http, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            var pending = await http.GetAsync<List<InboundEntry>>("/api/inbound?status=pending&take=1");
            if (pending.Count == 0)
            {
                return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("Messages were still pending processing.");
    }
}
