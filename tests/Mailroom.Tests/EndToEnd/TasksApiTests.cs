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

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Edit_EachChangeIsOneActivityEntry_ResendingUnchangedValuesAddsNone(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var space = await server.Http.CreateSpaceAsync("Product");
        var list = await server.Http.CreateListAsync(space.Id, "Backlog");
        var task = await server.Http.CreateTaskAsync(list.Id, "Write release notes", "Cover the email app.\nAnd the task pages.");

        // What a browser's edit form sends back untouched: the same text, lines ending in CRLF.
        var same = await Patch(new { name = "Write release notes", description = "Cover the email app.\r\nAnd the task pages." });
        Assert.Equal("Cover the email app.\nAnd the task pages.", same.Description);
        Assert.Equal(["Created"], (await server.Http.ActivityAsync(task.Id)).Select(a => a.Kind));

        var edited = await Patch(new { name = "  Write the release notes ", description = "Cover the email app.", dueDate = "2027-01-15" });
        Assert.Equal(("Write the release notes", "Cover the email app.", new DateOnly(2027, 1, 15)), (edited.Name, edited.Description, edited.DueDate));
        var cleared = await Patch(new { clearDueDate = true });
        Assert.Null(cleared.DueDate);
        await Patch(new { clearDueDate = true });

        Assert.Equal(
            [
                "created this task",
                "renamed the task from \"Write release notes\" to \"Write the release notes\"",
                "edited the description",
                "set the due date to 2027-01-15",
                "removed the due date",
            ],
            (await server.Http.ActivityAsync(task.Id)).Select(a => a.Text));
        using (var blank = await server.Http.PatchAsJsonAsync($"/api/tasks/{task.Id}", new { name = "  " }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
            Assert.Equal("invalid_task_name", (await Api.ProblemAsync(blank)).Code);
        }

        async Task<TasksApi.TaskItem> Patch(object body)
        {
            using var response = await server.Http.PatchAsJsonAsync($"/api/tasks/{task.Id}", body);
            await Api.EnsureAsync(response);
            return (await response.Content.ReadFromJsonAsync<TasksApi.TaskItem>())!;
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AssignableAndAllLists_NameWhoSeesTheSpaceAndEveryListTheCallerSees(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var shared = await server.Http.CreateSpaceAsync("Client project");
        var internalSpace = await server.Http.CreateSpaceAsync("Internal");
        var deliverables = await server.Http.CreateListAsync(shared.Id, "Deliverables");
        var hiring = await server.Http.CreateListAsync(internalSpace.Id, "Hiring");
        var budget = await server.Http.CreateListAsync(internalSpace.Id, "Budget");
        var task = await server.Http.CreateTaskAsync(deliverables.Id, "Logo draft");
        var (mia, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        var (gus, gusClient) = await server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");
        var (hal, halClient) = await server.Http.AddMemberAsync("Hal Guest", "hal@other.example", "Guest");
        using var _ = miaClient;
        using var __ = gusClient;
        using var ___ = halClient;
        using (var letIn = await server.Http.PostAsJsonAsync($"/api/spaces/{shared.Id}/guests", new { userId = gus.Id }))
        {
            await Api.EnsureAsync(letIn);
        }

        // Hal is a guest of no space: he cannot be picked, and assigning him is refused.
        var assignable = await miaClient.GetAsync<List<TasksApi.Person>>($"/api/tasks/{task.Id}/assignable");
        Assert.Equal(["Gus Guest", "Mia Member", "Olivia Owner"], assignable.Select(p => p.DisplayName));
        Assert.DoesNotContain(assignable, p => p.Id == hal.Id);
        using (var assignHal = await miaClient.PutAsJsonAsync($"/api/tasks/{task.Id}/assignees", new { userIds = new[] { hal.Id } }))
        {
            Assert.Equal("assignee_cannot_see_space", (await Api.ProblemAsync(assignHal)).Code);
        }
        using var assign = await miaClient.PutAsJsonAsync($"/api/tasks/{task.Id}/assignees", new { userIds = new[] { gus.Id, mia.Id } });
        await Api.EnsureAsync(assign);
        var assigned = (await assign.Content.ReadFromJsonAsync<TasksApi.TaskItem>())!;
        Assert.Equal(["Gus Guest", "Mia Member"], assigned.Assignees.Select(a => a.DisplayName));
        using (var asGuest = await gusClient.GetAsync($"/api/tasks/{task.Id}/assignable"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, asGuest.StatusCode);
            Assert.Equal("forbidden", (await Api.ProblemAsync(asGuest)).Code);
        }

        Assert.Equal([deliverables.Id, hiring.Id, budget.Id], (await miaClient.GetAsync<List<TasksApi.TaskList>>("/api/lists")).Select(l => l.Id));
        var guestLists = await gusClient.GetAsync<List<TasksApi.TaskList>>("/api/lists");
        Assert.Equal([deliverables.Id], guestLists.Select(l => l.Id));
        Assert.Null(guestLists.Single().Address);
        Assert.Empty(await halClient.GetAsync<List<TasksApi.TaskList>>("/api/lists"));
    }

    [Fact]
    public async Task Guests_CannotEditMoveAssignOrCloseATask_AndItsPageOffersNoEditing()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var space = await server.Http.CreateSpaceAsync("Client project");
        var list = await server.Http.CreateListAsync(space.Id, "Deliverables");
        var other = await server.Http.CreateListAsync(space.Id, "Archive");
        var task = await server.Http.CreateTaskAsync(list.Id, "Logo draft", "First sketches.");
        var (guest, guestClient) = await server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");
        using var _ = guestClient;
        using (var letIn = await server.Http.PostAsJsonAsync($"/api/spaces/{space.Id}/guests", new { userId = guest.Id }))
        {
            await Api.EnsureAsync(letIn);
        }

        foreach (var (method, url, body) in new (string, string, object?)[]
        {
            ("PATCH", $"/api/tasks/{task.Id}", new { name = "Mine", dueDate = "2027-01-01" }),
            ("PATCH", $"/api/tasks/{task.Id}", new { clearDueDate = true }),
            ("POST", $"/api/tasks/{task.Id}/move", new { listId = other.Id }),
            ("PUT", $"/api/tasks/{task.Id}/assignees", new { userIds = new[] { guest.Id } }),
            ("POST", $"/api/tasks/{task.Id}/close", new { }),
            ("POST", $"/api/tasks/{task.Id}/reopen", new { }),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(body) };
            using var response = await guestClient.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {url} gave {response.StatusCode}");
            Assert.Equal("forbidden", (await Api.ProblemAsync(response)).Code);
        }
        var unchanged = await server.Http.GetAsync<TasksApi.TaskItem>($"/api/tasks/{task.Id}");
        Assert.Equal(("Logo draft", list.Id, false, 0), (unchanged.Name, unchanged.ListId, unchanged.Closed, unchanged.Assignees.Count));
        Assert.Equal(["Created"], (await server.Http.ActivityAsync(task.Id)).Select(a => a.Kind));

        var guestPage = await guestClient.GetStringAsync($"/tasks/{task.Id}");
        Assert.Contains("Logo draft", guestPage);
        // The in-place editor's controls (title, status, close) and the move form.
        foreach (var control in new[] { "id=\"task-title\"", "id=\"task-status\"", "Close task", "Move to list" })
        {
            Assert.DoesNotContain(control, guestPage);
        }
        var ownerPage = await server.Http.GetStringAsync($"/tasks/{task.Id}");
        foreach (var control in new[] { "id=\"task-title\"", "id=\"task-status\"", "Close task", "Move to list", "Gus Guest" })
        {
            Assert.Contains(control, ownerPage);
        }
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
