using System.Net.Http.Json;

namespace Mailroom.Tests.Infrastructure;

/// <summary>Spaces, lists, tasks and the Email app as a client sees them.</summary>
public static class TasksApi
{
    public sealed record Space(Guid Id, string Name, string Description);
    public sealed record TaskList(Guid Id, Guid SpaceId, string Name, List<string> Statuses, string DoneStatus, string? Address);
    public sealed record Person(Guid Id, string DisplayName);
    public sealed record TaskItem(
        Guid Id, Guid ListId, Guid SpaceId, string Name, string Description, string Status, bool Closed, DateOnly? DueDate,
        List<Person> Assignees, List<Person> Followers, string CreatedBy, Guid? CreatedByUserId, bool FromEmail,
        string? CreatorEmail, string? CreatorName, string? Notes, string? Address, List<Api.Attachment> Attachments,
        List<TaskField>? Fields = null, bool SenderUnverified = false);
    public sealed record Field(Guid Id, Guid ListId, string Name, string Type, int Position);
    public sealed record TaskField(Guid FieldId, string Name, string Type, string? Value);
    public sealed record Comment(
        Guid Id, Guid TaskId, Guid? ParentCommentId, string Body, string Quoted, string Author, Guid? AuthorUserId, bool FromEmail,
        string? AuthorEmail, string? AuthorName, List<Api.Attachment> Attachments, List<Comment> Replies, bool SenderUnverified = false);
    public sealed record Activity(Guid Id, string Kind, string Actor, Guid? ActorUserId, string? ActorEmail, string Text, DateTimeOffset CreatedAt, Comment? Comment);
    public sealed record EmailAppSettings(bool Enabled, bool AllSpaces, List<Guid> SpaceIds, string ReplyMode);
    public sealed record AuditEntry(Guid Id, Guid UserId, string UserName, DateTimeOffset At, string Change);
    private sealed record TokenBody(string Token);

    public static Task<Space> CreateSpaceAsync(this HttpClient http, string name) =>
        http.PostAsync<Space>("/api/spaces", new { name });

    public static Task<TaskList> CreateListAsync(this HttpClient http, Guid spaceId, string name) =>
        http.PostAsync<TaskList>($"/api/spaces/{spaceId}/lists", new { name });

    public static Task<TaskItem> CreateTaskAsync(this HttpClient http, Guid listId, string name, string description = "") =>
        http.PostAsync<TaskItem>($"/api/lists/{listId}/tasks", new { name, description });

    public static Task<Field> CreateFieldAsync(this HttpClient http, Guid listId, string name, string type) =>
        http.PostAsync<Field>($"/api/lists/{listId}/fields", new { name, type });

    /// <summary>PUT /api/lists/{id}/fields/order; the response, whatever it is, for the caller to check.</summary>
    public static Task<HttpResponseMessage> PutFieldOrderAsync(this HttpClient http, Guid listId, IEnumerable<Guid>? fieldIds) =>
        http.PutAsJsonAsync($"/api/lists/{listId}/fields/order", new { fieldIds = fieldIds?.ToList() });

    public static Task<List<Field>> FieldsAsync(this HttpClient http, Guid listId) =>
        http.GetAsync<List<Field>>($"/api/lists/{listId}/fields");

    public static async Task<TaskItem> SetFieldAsync(this HttpClient http, Guid taskId, Guid fieldId, string? value)
    {
        using var response = await http.PutAsJsonAsync($"/api/tasks/{taskId}/fields/{fieldId}", new { value });
        await Api.EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<TaskItem>())!;
    }

    public static Task<List<TaskItem>> TasksAsync(this HttpClient http, Guid listId) =>
        http.GetAsync<List<TaskItem>>($"/api/lists/{listId}/tasks?includeClosed=true");

    public static Task<List<Comment>> CommentsAsync(this HttpClient http, Guid taskId) =>
        http.GetAsync<List<Comment>>($"/api/tasks/{taskId}/comments");

    public static Task<List<Activity>> ActivityAsync(this HttpClient http, Guid taskId) =>
        http.GetAsync<List<Activity>>($"/api/tasks/{taskId}/activity");

    public static async Task<EmailAppSettings> SetEmailAppAsync(this HttpClient http, bool enabled, string replyMode = "threaded", IEnumerable<Guid>? onlySpaces = null)
    {
        using var response = await http.PutAsJsonAsync("/api/email-app", new { enabled, allSpaces = onlySpaces is null, spaceIds = onlySpaces?.ToList(), replyMode });
        await Api.EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<EmailAppSettings>())!;
    }

    /// <summary>A space with one list, the Email app on for every space.</summary>
    public static async Task<(Space Space, TaskList List)> SpaceWithListAsync(this HttpClient http, string replyMode = "threaded")
    {
        var space = await http.CreateSpaceAsync("Operations");
        var list = await http.CreateListAsync(space.Id, "Support requests");
        await http.SetEmailAppAsync(true, replyMode);
        return (space, list);
    }

    /// <summary>Adds a workspace member and returns them with a client signed in as them.</summary>
    public static async Task<(Api.Member Member, HttpClient Client)> AddMemberAsync(this HttpClient http, string name, string email, string role)
    {
        var member = await http.PostAsync<Api.Member>("/api/members", new { displayName = name, email, password = "member-password", role });
        var token = (await http.PostAsync<TokenBody>("/api/auth/token", new { email, password = "member-password" })).Token;
        var client = new HttpClient { BaseAddress = http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return (member, client);
    }
}
