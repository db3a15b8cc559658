using System.Net;
using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>Custom fields of a list (Text, Number, Date, Email) and their values on tasks, through the real server.</summary>
public class CustomFieldsTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Fields_OfEachType_ValuesSetAndReadBackOnTheTask(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var space = await server.Http.CreateSpaceAsync("Clients");
        var list = await server.Http.CreateListAsync(space.Id, "Projects");
        var (_, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = miaClient;

        var client = await server.Http.CreateFieldAsync(list.Id, "Client", "Text");
        var budget = await miaClient.CreateFieldAsync(list.Id, "Budget", "Number");
        var deadline = await server.Http.CreateFieldAsync(list.Id, "Deadline", "Date");
        var email = await miaClient.CreateFieldAsync(list.Id, "Client email", "Email");
        Assert.Equal(["Client", "Budget", "Deadline", "Client email"],
            (await server.Http.GetAsync<List<TasksApi.Field>>($"/api/lists/{list.Id}/fields")).Select(f => f.Name));

        var task = await miaClient.CreateTaskAsync(list.Id, "Website redesign");
        Assert.Equal(4, task.Fields!.Count);
        Assert.All(task.Fields, f => Assert.Null(f.Value));

        await miaClient.SetFieldAsync(task.Id, client.Id, "  Acme Corp ");
        await miaClient.SetFieldAsync(task.Id, budget.Id, "1250.50");
        await miaClient.SetFieldAsync(task.Id, deadline.Id, "2027-03-31");
        await miaClient.SetFieldAsync(task.Id, email.Id, "ana@acme.example");

        var got = await server.Http.GetAsync<TasksApi.TaskItem>($"/api/tasks/{task.Id}");
        var values = got.Fields!.ToDictionary(f => f.Name, f => (f.Type, f.Value));
        Assert.Equal(("Text", "Acme Corp"), values["Client"]);
        Assert.Equal(("Number", "1250.50"), values["Budget"]);
        Assert.Equal(("Date", "2027-03-31"), values["Deadline"]);
        Assert.Equal(("Email", "ana@acme.example"), values["Client email"]);
        Assert.Contains(await server.Http.ActivityAsync(task.Id), a => a.Kind == "FieldChanged" && a.Text == "set Client email to ana@acme.example");

        var cleared = await miaClient.SetFieldAsync(task.Id, client.Id, "");
        Assert.Null(cleared.Fields!.Single(f => f.FieldId == client.Id).Value);

        using (var delete = await server.Http.DeleteAsync($"/api/fields/{budget.Id}"))
        {
            await Api.EnsureAsync(delete);
        }
        got = await server.Http.GetAsync<TasksApi.TaskItem>($"/api/tasks/{task.Id}");
        Assert.DoesNotContain(got.Fields!, f => f.FieldId == budget.Id);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task InvalidValues_AreRefusedWithInvalidFieldValue(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var space = await server.Http.CreateSpaceAsync("Clients");
        var list = await server.Http.CreateListAsync(space.Id, "Projects");
        var budget = await server.Http.CreateFieldAsync(list.Id, "Budget", "Number");
        var deadline = await server.Http.CreateFieldAsync(list.Id, "Deadline", "Date");
        var email = await server.Http.CreateFieldAsync(list.Id, "Client email", "Email");
        var task = await server.Http.CreateTaskAsync(list.Id, "Website redesign");

        foreach (var (field, value) in new[]
        {
            (email, "not an address"), (email, "ana@"), (email, "@acme.example"), (email, "ana@acme.example, bo"), (email, "ana@localhost"),
            (budget, "twelve"), (budget, "1,5"), (budget, "12abc"),
            (deadline, "31/03/2027"), (deadline, "2027-02-30"), (deadline, "tomorrow"),
        })
        {
            using var response = await server.Http.PutAsJsonAsync($"/api/tasks/{task.Id}/fields/{field.Id}", new { value });
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field.Name} = \"{value}\" gave {response.StatusCode}");
            var problem = await Api.ProblemAsync(response);
            Assert.Equal("invalid_field_value", problem.Code);
            Assert.Contains(field.Name, problem.Detail);
        }
        var got = await server.Http.GetAsync<TasksApi.TaskItem>($"/api/tasks/{task.Id}");
        Assert.All(got.Fields!, f => Assert.Null(f.Value));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task EmailField_WithTwoAddresses_IsStoredNormalised(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var space = await server.Http.CreateSpaceAsync("Clients");
        var list = await server.Http.CreateListAsync(space.Id, "Projects");
        var email = await server.Http.CreateFieldAsync(list.Id, "Client email", "Email");
        var task = await server.Http.CreateTaskAsync(list.Id, "Website redesign");

        var set = await server.Http.SetFieldAsync(task.Id, email.Id, " a@x.org ,b@y.org,  ");
        Assert.Equal("a@x.org, b@y.org", set.Fields!.Single().Value);
        var got = await server.Http.GetAsync<TasksApi.TaskItem>($"/api/tasks/{task.Id}");
        Assert.Equal("a@x.org, b@y.org", got.Fields!.Single().Value);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task FieldOrder_Put_ReordersTheListAndEveryTask_NewFieldsGoLast(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var space = await server.Http.CreateSpaceAsync("Clients");
        var list = await server.Http.CreateListAsync(space.Id, "Projects");
        var (_, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = miaClient;
        var client = await server.Http.CreateFieldAsync(list.Id, "Client", "Text");
        var budget = await server.Http.CreateFieldAsync(list.Id, "Budget", "Number");
        var deadline = await server.Http.CreateFieldAsync(list.Id, "Deadline", "Date");
        var task = await server.Http.CreateTaskAsync(list.Id, "Website redesign");

        // Members may order fields, not only admins.
        using (var put = await miaClient.PutFieldOrderAsync(list.Id, [deadline.Id, client.Id, budget.Id]))
        {
            await Api.EnsureAsync(put);
            var returned = (await put.Content.ReadFromJsonAsync<List<TasksApi.Field>>())!;
            Assert.Equal(["Deadline", "Client", "Budget"], returned.Select(f => f.Name));
            Assert.Equal([0, 1, 2], returned.Select(f => f.Position));
        }
        Assert.Equal(["Deadline", "Client", "Budget"], (await server.Http.FieldsAsync(list.Id)).Select(f => f.Name));
        Assert.Equal(["Deadline", "Client", "Budget"], (await server.Http.GetAsync<TasksApi.TaskItem>($"/api/tasks/{task.Id}")).Fields!.Select(f => f.Name));
        Assert.Equal(["Deadline", "Client", "Budget"], (await server.Http.TasksAsync(list.Id)).Single().Fields!.Select(f => f.Name));

        var email = await server.Http.CreateFieldAsync(list.Id, "Client email", "Email");
        Assert.Equal(["Deadline", "Client", "Budget", "Client email"], (await server.Http.FieldsAsync(list.Id)).Select(f => f.Name));
        using (var delete = await server.Http.DeleteAsync($"/api/fields/{client.Id}"))
        {
            await Api.EnsureAsync(delete);
        }
        using (var put = await server.Http.PutFieldOrderAsync(list.Id, [email.Id, budget.Id, deadline.Id]))
        {
            await Api.EnsureAsync(put);
        }
        Assert.Equal(["Client email", "Budget", "Deadline"], (await server.Http.FieldsAsync(list.Id)).Select(f => f.Name));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task FieldOrder_NotEveryFieldExactlyOnce_IsRefusedWithInvalidFieldOrder_AndNothingChanges(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var space = await server.Http.CreateSpaceAsync("Clients");
        var list = await server.Http.CreateListAsync(space.Id, "Projects");
        var other = await server.Http.CreateListAsync(space.Id, "Other");
        var client = await server.Http.CreateFieldAsync(list.Id, "Client", "Text");
        var budget = await server.Http.CreateFieldAsync(list.Id, "Budget", "Number");
        var elsewhere = await server.Http.CreateFieldAsync(other.Id, "Elsewhere", "Text");

        foreach (var (ids, what) in new (Guid[]?, string)[]
        {
            ([budget.Id], "a field missing"),
            ([budget.Id, client.Id, client.Id], "a field twice"),
            ([budget.Id, client.Id, Guid.NewGuid()], "an unknown field"),
            ([budget.Id, elsewhere.Id], "another list's field"),
            ([], "no fields"),
            (null, "no fieldIds at all"),
        })
        {
            using var response = await server.Http.PutFieldOrderAsync(list.Id, ids);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what} gave {response.StatusCode}");
            var problem = await Api.ProblemAsync(response);
            Assert.Equal("invalid_field_order", problem.Code);
            Assert.Contains("all 2 fields", problem.Detail);
        }
        Assert.Equal(["Client", "Budget"], (await server.Http.FieldsAsync(list.Id)).Select(f => f.Name));

        using (var missing = await server.Http.PutFieldOrderAsync(Guid.NewGuid(), [client.Id, budget.Id]))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("not_found", (await Api.ProblemAsync(missing)).Code);
        }
        using (var garbled = await server.Http.PutAsync($"/api/lists/{list.Id}/fields/order",
            new StringContent("""{"fieldIds":["not-a-guid"]}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, garbled.StatusCode);
            Assert.Equal("bad_request", (await Api.ProblemAsync(garbled)).Code);
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task DeleteField_EachTaskThatHadAValue_SaysWhatItWasInItsActivity(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var space = await server.Http.CreateSpaceAsync("Clients");
        var list = await server.Http.CreateListAsync(space.Id, "Projects");
        var budget = await server.Http.CreateFieldAsync(list.Id, "Budget", "Number");
        var withValue = await server.Http.CreateTaskAsync(list.Id, "Website redesign");
        var withoutValue = await server.Http.CreateTaskAsync(list.Id, "Logo");
        await server.Http.SetFieldAsync(withValue.Id, budget.Id, "1250.50");

        using (var delete = await server.Http.DeleteAsync($"/api/fields/{budget.Id}"))
        {
            await Api.EnsureAsync(delete);
        }
        var last = (await server.Http.ActivityAsync(withValue.Id))[^1];
        Assert.Equal(("FieldChanged", "deleted the field Budget (it was 1250.50)"), (last.Kind, last.Text));
        Assert.DoesNotContain(await server.Http.ActivityAsync(withoutValue.Id), a => a.Kind == "FieldChanged");
        Assert.Empty(await server.Http.FieldsAsync(list.Id));
        using (var again = await server.Http.DeleteAsync($"/api/fields/{budget.Id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }
    }

    [Fact]
    public async Task Guests_ReadFields_ButCannotCreateThemOrSetValues()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var space = await server.Http.CreateSpaceAsync("Shared");
        var list = await server.Http.CreateListAsync(space.Id, "Deliverables");
        var email = await server.Http.CreateFieldAsync(list.Id, "Client email", "Email");
        var task = await server.Http.CreateTaskAsync(list.Id, "Logo");
        var (guest, guestClient) = await server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");
        using var _ = guestClient;
        using (var letIn = await server.Http.PostAsJsonAsync($"/api/spaces/{space.Id}/guests", new { userId = guest.Id }))
        {
            await Api.EnsureAsync(letIn);
        }

        Assert.Equal([email.Id], (await guestClient.GetAsync<List<TasksApi.Field>>($"/api/lists/{list.Id}/fields")).Select(f => f.Id));
        using (var create = await guestClient.PostAsJsonAsync($"/api/lists/{list.Id}/fields", new { name = "Mine", type = "Text" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        }
        using (var set = await guestClient.PutAsJsonAsync($"/api/tasks/{task.Id}/fields/{email.Id}", new { value = "gus@client.example" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, set.StatusCode);
        }
        using (var order = await guestClient.PutFieldOrderAsync(list.Id, [email.Id]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, order.StatusCode);
            Assert.Equal("forbidden", (await Api.ProblemAsync(order)).Code);
        }
        using (var delete = await guestClient.DeleteAsync($"/api/fields/{email.Id}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        }
        Assert.Single(await server.Http.FieldsAsync(list.Id));

        // The list page shows the guest the fields, without the buttons that change them.
        var page = await guestClient.GetStringAsync($"/lists/{list.Id}");
        Assert.Contains("Client email", page);
        Assert.DoesNotContain("Move Client email up", page);
        Assert.DoesNotContain("Delete field Client email", page);
    }

    [Fact]
    public async Task Pages_ShowFieldsWithMailtoLinks_AndTheAddFieldForm()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var space = await server.Http.CreateSpaceAsync("Clients");
        var list = await server.Http.CreateListAsync(space.Id, "Projects");
        var email = await server.Http.CreateFieldAsync(list.Id, "Client email", "Email");
        var budget = await server.Http.CreateFieldAsync(list.Id, "Budget", "Number");
        var task = await server.Http.CreateTaskAsync(list.Id, "Website redesign");
        await server.Http.SetFieldAsync(task.Id, email.Id, "a@x.org,b@y.org");

        var taskPage = await server.Http.GetStringAsync($"/tasks/{task.Id}");
        Assert.Contains("<h2>Fields</h2>", taskPage);
        Assert.Contains("href=\"mailto:a@x.org\"", taskPage);
        Assert.Contains("href=\"mailto:b@y.org\"", taskPage);
        Assert.Contains($"id=\"field-{budget.Id}\"", taskPage);

        var listPage = await server.Http.GetStringAsync($"/lists/{list.Id}");
        Assert.Contains("Add field", listPage);
        Assert.Contains("<option value=\"Email\">Email</option>", listPage);
        Assert.Contains("Client email", listPage);
        Assert.Contains("aria-label=\"Move Budget up\"", listPage);
        Assert.Contains("aria-label=\"Delete field Client email\"", listPage);
    }
}
