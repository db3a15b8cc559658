using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Previews;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Tasks;

public static class TasksApi
{
    public sealed record ListRequest(string? Name, IReadOnlyList<string>? Statuses, string? DoneStatus);
    public sealed record NewTaskRequest(string? Name, string? Description, string? Status, DateOnly? DueDate, IReadOnlyList<Guid>? AssigneeIds);

    /// <summary>Only what is given changes; <see cref="ClearDueDate"/> removes the due date.</summary>
    public sealed record TaskRequest(string? Name, string? Description, DateOnly? DueDate, bool ClearDueDate = false);
    public sealed record StatusRequest(string Status);
    public sealed record MoveRequest(Guid ListId);
    public sealed record AssigneesRequest(IReadOnlyList<Guid> UserIds);
    public sealed record CommentRequest(string? Body, Guid? ParentId);
    public sealed record FieldRequest(string? Name, CustomFieldType? Type);
    public sealed record FieldValueRequest(string? Value);

    /// <summary>Every field of the list, each once, in the wanted order.</summary>
    public sealed record FieldOrderRequest(IReadOnlyList<Guid>? FieldIds);

    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/spaces/{spaceId:guid}/lists", ListListsAsync).RequireAuthorization().WithTags("Lists");
        app.MapPost("/api/spaces/{spaceId:guid}/lists", CreateListAsync).RequireAuthorization().WithTags("Lists");
        app.MapGet("/api/lists", ListAllListsAsync).RequireAuthorization().WithTags("Lists");

        var lists = app.MapGroup("/api/lists/{listId:guid}").RequireAuthorization().WithTags("Lists");
        lists.MapGet("/", GetListAsync);
        lists.MapPatch("/", UpdateListAsync);
        lists.MapDelete("/", DeleteListAsync);
        lists.MapPost("/address/reset", ResetListAddressAsync);
        lists.MapGet("/tasks", ListTasksAsync).WithTags("Tasks");
        lists.MapPost("/tasks", CreateTaskAsync).WithTags("Tasks");
        lists.MapGet("/fields", ListFieldsAsync).WithTags("Fields");
        lists.MapPost("/fields", CreateFieldAsync).WithTags("Fields");
        lists.MapPut("/fields/order", ReorderFieldsAsync).WithTags("Fields");
        app.MapDelete("/api/fields/{fieldId:guid}", DeleteFieldAsync).RequireAuthorization().WithTags("Fields");

        var tasks = app.MapGroup("/api/tasks/{taskId:guid}").RequireAuthorization().WithTags("Tasks");
        tasks.MapGet("/", GetTaskAsync);
        tasks.MapPatch("/", UpdateTaskAsync);
        tasks.MapDelete("/", DeleteTaskAsync);
        tasks.MapPut("/status", SetStatusAsync);
        tasks.MapPost("/close", (Guid taskId, TaskService s, MailroomDb db, HttpContext http, CancellationToken ct) => Run(db, http, ct, u => s.CloseAsync(u, taskId, ct)));
        tasks.MapPost("/reopen", (Guid taskId, TaskService s, MailroomDb db, HttpContext http, CancellationToken ct) => Run(db, http, ct, u => s.ReopenAsync(u, taskId, ct)));
        tasks.MapPost("/move", (Guid taskId, MoveRequest r, TaskService s, MailroomDb db, HttpContext http, CancellationToken ct) => Run(db, http, ct, u => s.MoveAsync(u, taskId, r.ListId, ct)));
        tasks.MapPut("/assignees", (Guid taskId, AssigneesRequest r, TaskService s, MailroomDb db, HttpContext http, CancellationToken ct) => Run(db, http, ct, u => s.SetAssigneesAsync(u, taskId, r.UserIds ?? [], ct)));
        tasks.MapGet("/assignable", AssignableAsync);
        tasks.MapPut("/follow", (Guid taskId, TaskService s, MailroomDb db, HttpContext http, CancellationToken ct) => Run(db, http, ct, u => s.FollowAsync(u, taskId, true, ct)));
        tasks.MapDelete("/follow", (Guid taskId, TaskService s, MailroomDb db, HttpContext http, CancellationToken ct) => Run(db, http, ct, u => s.FollowAsync(u, taskId, false, ct)));
        tasks.MapPost("/address/reset", (Guid taskId, TaskService s, MailroomDb db, HttpContext http, CancellationToken ct) => Run(db, http, ct, u => s.ResetAddressAsync(u, taskId, ct)));
        tasks.MapPut("/fields/{fieldId:guid}", (Guid taskId, Guid fieldId, FieldValueRequest r, CustomFieldService s, MailroomDb db, HttpContext http, CancellationToken ct) =>
            Run(db, http, ct, u => s.SetValueAsync(u, taskId, fieldId, r.Value, ct))).WithTags("Fields");
        tasks.MapGet("/comments", ListCommentsAsync).WithTags("Comments");
        tasks.MapPost("/comments", AddCommentAsync).WithTags("Comments");
        tasks.MapGet("/activity", ActivityAsync);
        tasks.MapGet("/attachments/{attachmentId:guid}", DownloadAttachmentAsync);
        tasks.MapGet("/attachments/{attachmentId:guid}/thumbnail", ThumbnailAsync);
        return tasks;
    }

    private static async Task<Ok<TaskView>> Run(MailroomDb db, HttpContext http, CancellationToken ct, Func<User, Task<TaskView>> action) =>
        TypedResults.Ok(await action(await db.RequireAsync(http.User, ct)));

    private static async Task<Ok<IReadOnlyList<CustomFieldView>>> ListFieldsAsync(Guid listId, CustomFieldService fields, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await fields.ListAsync(await db.RequireAsync(http.User, ct), listId, ct));

    private static async Task<Created<CustomFieldView>> CreateFieldAsync(Guid listId, FieldRequest request, CustomFieldService fields, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var field = await fields.CreateAsync(await db.RequireAsync(http.User, ct), listId, request.Name, request.Type, ct);
        return TypedResults.Created($"/api/lists/{listId}/fields", field);
    }

    private static async Task<Ok<IReadOnlyList<CustomFieldView>>> ReorderFieldsAsync(Guid listId, FieldOrderRequest request, CustomFieldService fields, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await fields.ReorderAsync(await db.RequireAsync(http.User, ct), listId, request.FieldIds, ct));

    private static async Task<NoContent> DeleteFieldAsync(Guid fieldId, CustomFieldService fields, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        await fields.DeleteAsync(await db.RequireAsync(http.User, ct), fieldId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<ListView>>> ListListsAsync(Guid spaceId, ListService lists, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await lists.ListAsync(await db.RequireAsync(http.User, ct), spaceId, ct));

    private static async Task<Ok<IReadOnlyList<ListView>>> ListAllListsAsync(ListService lists, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await lists.ListAllAsync(await db.RequireAsync(http.User, ct), ct));

    private static async Task<Created<ListView>> CreateListAsync(Guid spaceId, ListRequest request, ListService lists, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var list = await lists.CreateAsync(await db.RequireAsync(http.User, ct), spaceId, request.Name, request.Statuses, request.DoneStatus, ct);
        return TypedResults.Created($"/api/lists/{list.Id}", list);
    }

    private static async Task<Ok<ListView>> GetListAsync(Guid listId, ListService lists, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await lists.GetAsync(await db.RequireAsync(http.User, ct), listId, ct));

    private static async Task<Ok<ListView>> UpdateListAsync(Guid listId, ListRequest request, ListService lists, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await lists.UpdateAsync(await db.RequireAsync(http.User, ct), listId, request.Name, request.Statuses, request.DoneStatus, ct));

    private static async Task<NoContent> DeleteListAsync(Guid listId, ListService lists, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        await lists.DeleteAsync(await db.RequireAsync(http.User, ct), listId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ListView>> ResetListAddressAsync(Guid listId, ListService lists, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await lists.ResetAddressAsync(await db.RequireAsync(http.User, ct), listId, ct));

    private static async Task<Ok<IReadOnlyList<TaskView>>> ListTasksAsync(Guid listId, bool? includeClosed, TaskService tasks, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await tasks.ListAsync(await db.RequireAsync(http.User, ct), listId, includeClosed ?? false, ct));

    private static async Task<Created<TaskView>> CreateTaskAsync(Guid listId, NewTaskRequest request, TaskService tasks, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var task = await tasks.CreateAsync(await db.RequireAsync(http.User, ct), listId, request.Name, request.Description, request.Status, request.DueDate, request.AssigneeIds, ct);
        return TypedResults.Created($"/api/tasks/{task.Id}", task);
    }

    private static async Task<Ok<TaskView>> GetTaskAsync(Guid taskId, TaskService tasks, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await tasks.GetAsync(await db.RequireAsync(http.User, ct), taskId, ct));

    private static async Task<Ok<TaskView>> UpdateTaskAsync(Guid taskId, TaskRequest request, TaskService tasks, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await tasks.UpdateAsync(await db.RequireAsync(http.User, ct), taskId, request.Name, request.Description, request.DueDate, request.ClearDueDate, ct));

    private static async Task<Ok<IReadOnlyList<PersonRef>>> AssignableAsync(Guid taskId, TaskService tasks, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await tasks.AssignableAsync(await db.RequireAsync(http.User, ct), taskId, ct));

    private static async Task<NoContent> DeleteTaskAsync(Guid taskId, TaskService tasks, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        await tasks.DeleteAsync(await db.RequireAsync(http.User, ct), taskId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<TaskView>> SetStatusAsync(Guid taskId, StatusRequest request, TaskService tasks, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await tasks.SetStatusAsync(await db.RequireAsync(http.User, ct), taskId, request.Status, ct));

    private static async Task<Ok<IReadOnlyList<CommentView>>> ListCommentsAsync(Guid taskId, CommentService comments, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await comments.ListAsync(await db.RequireAsync(http.User, ct), taskId, ct));

    private static async Task<Created<CommentView>> AddCommentAsync(Guid taskId, CommentRequest request, CommentService comments, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var comment = await comments.AddAsync(await db.RequireAsync(http.User, ct), taskId, request.Body, request.ParentId, ct);
        return TypedResults.Created($"/api/tasks/{taskId}/comments", comment);
    }

    private static async Task<Ok<IReadOnlyList<ActivityView>>> ActivityAsync(Guid taskId, CommentService comments, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await comments.ActivityAsync(await db.RequireAsync(http.User, ct), taskId, ct));

    private static async Task<FileStreamHttpResult> ThumbnailAsync(Guid taskId, Guid attachmentId, CommentService comments, Thumbnails thumbnails, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var attachment = await comments.FindAttachmentAsync(await db.RequireAsync(http.User, ct), taskId, attachmentId, ct);
        return await ThumbnailResponse.ServeAsync(http.Response, thumbnails, attachment.BlobHash, attachment.ContentType, ct);
    }

    private static async Task<FileStreamHttpResult> DownloadAttachmentAsync(Guid taskId, Guid attachmentId, CommentService comments, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var (attachment, content) = await comments.OpenAttachmentAsync(await db.RequireAsync(http.User, ct), taskId, attachmentId, ct);
        return Downloads.File(http.Response, content, attachment.ContentType, attachment.FileName);
    }
}
