using System.Net;
using System.Net.Http.Json;
using MailKit.Net.Smtp;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>Spaces, lists and tasks through the API: what a team does with them, and who may.</summary>
public class TasksApiTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Task_CreateEditAssignMoveCloseComment_ShowsInTheActivityNewestLast(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var space = await server.Http.CreateSpaceAsync("Product");
        var backlog = await server.Http.CreateListAsync(space.Id, "Backlog");
        var sprint = await server.Http.PostAsync<TasksApi.TaskList>($"/api/spaces/{space.Id}/lists",
            new { name = "Sprint", statuses = new[] { "Open", "Review", "Shipped" }, doneStatus = "Shipped" });
        Assert.Equal(["To do", "In progress", "Done"], backlog.Statuses);
        var (mia, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = miaClient;

        var task = await miaClient.CreateTaskAsync(backlog.Id, "Write release notes", "Cover the email app.");
        Assert.Equal("To do", task.Status);
        Assert.Equal(mia.Id, task.CreatedByUserId);
        Assert.Contains(task.Followers, f => f.Id == mia.Id);

        using (var edit = await server.Http.PatchAsJsonAsync($"/api/tasks/{task.Id}", new { name = "Write the release notes", dueDate = "2027-01-15" }))
        {
            await Api.EnsureAsync(edit);
        }
        using (var status = await server.Http.PutAsJsonAsync($"/api/tasks/{task.Id}/status", new { status = "In progress" }))
        {
            await Api.EnsureAsync(status);
        }
        using (var bad = await server.Http.PutAsJsonAsync($"/api/tasks/{task.Id}/status", new { status = "Blocked" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("invalid_status", (await Api.ProblemAsync(bad)).Code);
        }
        using (var assign = await server.Http.PutAsJsonAsync($"/api/tasks/{task.Id}/assignees", new { userIds = new[] { mia.Id } }))
        {
            await Api.EnsureAsync(assign);
        }
        var moved = await server.Http.PostAsync<TasksApi.TaskItem>($"/api/tasks/{task.Id}/move", new { listId = sprint.Id });
        Assert.Equal(sprint.Id, moved.ListId);
        Assert.Equal("Open", moved.Status);
        var comment = await miaClient.PostAsync<TasksApi.Comment>($"/api/tasks/{task.Id}/comments", new { body = "Draft is in the wiki." });
        var reply = await server.Http.PostAsync<TasksApi.Comment>($"/api/tasks/{task.Id}/comments", new { body = "Looks good.", parentId = comment.Id });
        var replyToReply = await miaClient.PostAsync<TasksApi.Comment>($"/api/tasks/{task.Id}/comments", new { body = "Thanks!", parentId = reply.Id });
        Assert.Equal(comment.Id, replyToReply.ParentCommentId);
        var closed = await server.Http.PostAsync<TasksApi.TaskItem>($"/api/tasks/{task.Id}/close", new { });
        Assert.True(closed.Closed);
        Assert.Equal("Shipped", closed.Status);

        var got = await server.Http.GetAsync<TasksApi.TaskItem>($"/api/tasks/{task.Id}");
        Assert.Equal("Write the release notes", got.Name);
        Assert.Equal(new DateOnly(2027, 1, 15), got.DueDate);
        Assert.Equal([mia.Id], got.Assignees.Select(a => a.Id));
        var thread = Assert.Single(await server.Http.CommentsAsync(task.Id));
        Assert.Equal(2, thread.Replies.Count);

        var kinds = (await server.Http.ActivityAsync(task.Id)).Select(a => a.Kind).ToList();
        Assert.Equal("Created", kinds[0]);
        Assert.Equal("Closed", kinds[^1]);
        Assert.True(kinds.IndexOf("StatusChanged") < kinds.IndexOf("Moved") && kinds.IndexOf("Moved") < kinds.IndexOf("Comment"), string.Join(", ", kinds));
        Assert.Contains("Reply", kinds);
        Assert.Contains("Assigned", kinds);
        Assert.Empty(await server.Http.GetAsync<List<TasksApi.TaskItem>>($"/api/lists/{sprint.Id}/tasks"));
        Assert.Single(await server.Http.TasksAsync(sprint.Id));
    }

    [Fact]
    public async Task Guests_ReadOnlyInTheirSpaces_AndNeverSeeAddresses()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var shared = await server.Http.CreateSpaceAsync("Client project");
        var internalSpace = await server.Http.CreateSpaceAsync("Internal");
        var list = await server.Http.CreateListAsync(shared.Id, "Deliverables");
        var task = await server.Http.CreateTaskAsync(list.Id, "Logo draft");
        var (guest, guestClient) = await server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");
        using var _ = guestClient;
        using (var letIn = await server.Http.PostAsJsonAsync($"/api/spaces/{shared.Id}/guests", new { userId = guest.Id }))
        {
            await Api.EnsureAsync(letIn);
        }

        Assert.Equal([shared.Id], (await guestClient.GetAsync<List<TasksApi.Space>>("/api/spaces")).Select(s => s.Id));
        using (var hidden = await guestClient.GetAsync($"/api/spaces/{internalSpace.Id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }
        Assert.Null(Assert.Single(await guestClient.GetAsync<List<TasksApi.TaskList>>($"/api/spaces/{shared.Id}/lists")).Address);
        var seen = await guestClient.GetAsync<TasksApi.TaskItem>($"/api/tasks/{task.Id}");
        Assert.Null(seen.Address);
        Assert.NotNull((await server.Http.GetAsync<TasksApi.TaskItem>($"/api/tasks/{task.Id}")).Address);

        using (var create = await guestClient.PostAsJsonAsync($"/api/lists/{list.Id}/tasks", new { name = "Mine" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
            Assert.Equal("forbidden", (await Api.ProblemAsync(create)).Code);
        }
        using (var status = await guestClient.PutAsJsonAsync($"/api/tasks/{task.Id}/status", new { status = "Done" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, status.StatusCode);
        }
        using (var space = await guestClient.PostAsJsonAsync("/api/spaces", new { name = "Guest space" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, space.StatusCode);
        }
        using (var settings = await guestClient.GetAsync("/api/email-app"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, settings.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ResetAddress_TheOldAddressIsRefused550AtOnce_TheNewOneWorks(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();
        var task = await server.Http.CreateTaskAsync(list.Id, "Budget 2027");
        var (_, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = miaClient;

        using (var notAdmin = await miaClient.PostAsync($"/api/tasks/{task.Id}/address/reset", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        }
        var newList = await server.Http.PostAsync<TasksApi.TaskList>($"/api/lists/{list.Id}/address/reset", new { });
        var newTask = await server.Http.PostAsync<TasksApi.TaskItem>($"/api/tasks/{task.Id}/address/reset", new { });
        Assert.NotEqual(list.Address, newList.Address);
        Assert.NotEqual(task.Address, newTask.Address);

        foreach (var old in new[] { list.Address!, task.Address! })
        {
            var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(old, "To the old address")));
            Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
        }
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(newTask.Address!, "To the new address", "Numbers attached."));
        await server.Http.WaitUntilProcessedAsync();
        Assert.Contains("Numbers attached.", Assert.Single(await server.Http.CommentsAsync(task.Id)).Body);
        Assert.Single(await server.Http.TasksAsync(list.Id));

        // A deleted task takes its comments and activity with it, and its address reaches nothing.
        using (var deleted = await server.Http.DeleteAsync($"/api/tasks/{task.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        var gone = await Assert.ThrowsAsync<SmtpCommandException>(() => Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(newTask.Address!, "After deletion")));
        Assert.Contains("no such address", gone.Message);
        Assert.Empty(await server.Http.TasksAsync(list.Id));
    }

    [Fact]
    public async Task EmailAppSettings_OnlyOwnersAndAdminsChangeThem_AndEveryChangeIsAudited()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var space = await server.Http.CreateSpaceAsync("Sales");
        var (_, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = miaClient;

        var initial = await server.Http.GetAsync<TasksApi.EmailAppSettings>("/api/email-app");
        Assert.False(initial.Enabled);
        using (var refused = await miaClient.PutAsJsonAsync("/api/email-app", new { enabled = true }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        await server.Http.SetEmailAppAsync(true, "threaded");
        var chosen = await server.Http.SetEmailAppAsync(true, "newComment", onlySpaces: [space.Id]);
        Assert.False(chosen.AllSpaces);
        Assert.Equal([space.Id], chosen.SpaceIds);
        Assert.Equal("newcomment", chosen.ReplyMode.ToLowerInvariant());

        var audit = await server.Http.GetAsync<List<TasksApi.AuditEntry>>("/api/email-app/audit");
        Assert.Equal(2, audit.Count);
        Assert.Contains("enabled: off → on", audit[1].Change);
        Assert.Contains("spaces: all spaces → Sales", audit[0].Change);
        Assert.Contains("reply mode: threaded replies → new comments", audit[0].Change);
        Assert.All(audit, a => Assert.Equal("Olivia Owner", a.UserName));
    }
}
