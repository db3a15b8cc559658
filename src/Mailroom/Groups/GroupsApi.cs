using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Groups;

public static class GroupsApi
{
    public sealed record GroupResponse(Guid Id, string Name, string Description, DateTimeOffset CreatedAt);
    public sealed record NewGroupRequest(string Name, string? Description);
    public sealed record MemberRequest(Guid UserId, bool IsManager);

    public static RouteGroupBuilder MapGroupsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/groups").RequireAuthorization().WithTags("Groups");
        api.MapGet("/", ListAsync);
        api.MapPost("/", CreateAsync);
        api.MapGet("/{groupId:guid}", GetAsync);
        api.MapGet("/{groupId:guid}/members", ListMembersAsync);
        api.MapPost("/{groupId:guid}/members", AddMemberAsync);
        api.MapDelete("/{groupId:guid}/members/{userId:guid}", RemoveMemberAsync);
        return api;
    }

    private static async Task<Ok<List<GroupResponse>>> ListAsync(GroupService groups, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var user = await db.RequireAsync(http.User, ct);
        var list = await groups.Visible(user).AsNoTracking().OrderBy(g => g.Name).ToListAsync(ct);
        return TypedResults.Ok(list.Select(Describe).ToList());
    }

    private static async Task<Created<GroupResponse>> CreateAsync(NewGroupRequest request, GroupService groups, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var group = await groups.CreateAsync(await db.RequireAsync(http.User, ct), request.Name, request.Description, ct);
        return TypedResults.Created($"/api/groups/{group.Id}", Describe(group));
    }

    private static async Task<Ok<GroupResponse>> GetAsync(Guid groupId, GroupService groups, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(Describe(await groups.GetVisibleAsync(await db.RequireAsync(http.User, ct), groupId, ct)));

    /// <summary>Adds a member, or sets whether an existing member manages the group.</summary>
    private static async Task<NoContent> AddMemberAsync(Guid groupId, MemberRequest request, GroupService groups, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        await groups.AddMemberAsync(await db.RequireAsync(http.User, ct), groupId, request.UserId, request.IsManager, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<GroupMemberView>>> ListMembersAsync(Guid groupId, GroupService groups, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await groups.ListMembersAsync(await db.RequireAsync(http.User, ct), groupId, ct));

    /// <summary>Admins and the group's managers remove anyone; every member may remove themselves (leave).</summary>
    private static async Task<NoContent> RemoveMemberAsync(Guid groupId, Guid userId, GroupService groups, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        await groups.RemoveMemberAsync(await db.RequireAsync(http.User, ct), groupId, userId, ct);
        return TypedResults.NoContent();
    }

    private static GroupResponse Describe(Group g) => new(g.Id, g.Name, g.Description, g.CreatedAt);
}
