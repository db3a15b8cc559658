using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;
using Mailroom.Tests.Outbound;
using static Mailroom.Tests.Outbound.OutboxClient;

namespace Mailroom.Tests.Permissions;

/// <summary>
/// The custom role permissions for email (B18), through the real API of one server per database,
/// against a real Dovecot and Postfix: "Send email" decides every send (ACCESS_137 naming the
/// permission), "Add email accounts" every link (a password link and the start of an OAuth link:
/// account_add_not_allowed), for admins and members, in every combination. The owner always may,
/// guests never; on a plan without custom permissions the defaults apply and the settings wait.
/// </summary>
public class EmailRolePermissionTests(OutboxMailFixture fixture) : IClassFixture<OutboxMailFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record Row(bool SendEmail, bool AddAccounts);
    private sealed record Roles(Row Admin, Row Member);
    private sealed record View(bool Available, string? LockedCode, string? LockedMessage, string? UnlockedBy, string? UnlockedByName,
        Roles Stored, Roles Effective, bool MayChangeAdmin, bool MayChangeMember);

    private sealed record Actor(string Role, HttpClient Client, HttpClient NoRedirect, Guid SendFrom, string LinkUser, string LinkPassword);

    private sealed record Scene(MailroomServer Server, Actor Admin, Actor Member, Actor Guest, Guid TaskId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var actor in new[] { Admin, Member, Guest })
            {
                actor.Client.Dispose();
                actor.NoRedirect.Dispose();
            }
            await Server.DisposeAsync();
        }
    }

    /// <summary>
    /// Business Plus; Mia (member) linked her mailbox and lent it to Ada (admin) and the owner, so
    /// each has an account to send from while one of the plan's two account slots stays free for
    /// the links under test; a task they can write on; Google sign-in configured (its start is only a redirect).
    /// </summary>
    private async Task<Scene> SceneAsync(Database database)
    {
        var settings = OutboxClient.Settings;
        settings["Mailroom:Accounts:OAuth:Google:ClientId"] = "mailroom-test";
        settings["Mailroom:Accounts:OAuth:Google:ClientSecret"] = "mailroom-test-secret";
        settings["Mailroom:Accounts:OAuth:Google:AuthorizeUrl"] = "https://accounts.example.test/authorize";
        settings["Mailroom:Accounts:OAuth:Google:TokenUrl"] = "https://accounts.example.test/token";
        var server = await MailroomServer.StartAsync(database, settings);
        await server.SetupAsync();
        await server.UsePlanAsync("business-plus");
        // Room for the mailboxes the cases link (the plan's two free accounts are Mia's and the one a
        // case links; its OAuth start asks for one more): slots recorded, not charged (no processor).
        using (var buy = new HttpRequestMessage(HttpMethod.Post, "/api/billing/slots") { Content = JsonContent.Create(new { quantity = 2 }) })
        {
            buy.Headers.Add("Idempotency-Key", "role-permission-slots");
            using var bought = await server.Http.SendAsync(buy);
            await Api.EnsureAsync(bought);
        }
        var (ada, adaClient) = await server.Http.AddMemberAsync("Ada Admin", "ada@acme.test", "Admin");
        var (mia, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        var (_, gusClient) = await server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");
        var account = await miaClient.LinkAsync(fixture.Custom("mia", OutboxMailFixture.MiaPassword));
        var ownerId = (await server.Http.GetAsync<List<Api.Member>>("/api/members")).Single(m => m.Role == "Owner").Id;
        foreach (var grantee in new[] { ada.Id, ownerId })
        {
            using var granted = await miaClient.PostAsJsonAsync($"/api/accounts/{account.Id}/grants", new { userId = grantee });
            await Api.EnsureAsync(granted);
        }
        var (_, list) = await server.Http.SpaceWithListAsync();
        var task = await server.Http.CreateTaskAsync(list.Id, "Quote for the Berlin office");
        return new Scene(server,
            new Actor("Admin", adaClient, NoRedirect(server, adaClient), account.Id, "max", OutboxMailFixture.MaxPassword),
            new Actor("Member", miaClient, NoRedirect(server, miaClient), account.Id, "max", OutboxMailFixture.MaxPassword),
            new Actor("Guest", gusClient, NoRedirect(server, gusClient), account.Id, "max", OutboxMailFixture.MaxPassword),
            task.Id);
    }

    private static HttpClient NoRedirect(MailroomServer server, HttpClient signedIn)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = signedIn.DefaultRequestHeaders.Authorization;
        return http;
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task EveryCombination_ForAdminAndMember_DecidesSendAndLink_ThroughTheRealApi(Database database)
    {
        await using var scene = await SceneAsync(database);
        var owner = scene.Server.Http;
        // Each round gives the admin one combination and the member its opposite, so over the four
        // rounds each role meets all four, and a role's row never leaks into the other's.
        var combinations = new[] { (true, true), (true, false), (false, true), (false, false) };
        foreach (var (send, add) in combinations)
        {
            var wanted = new Roles(new Row(send, add), new Row(!send, !add));
            var view = await SetAsync(owner, wanted);
            Assert.Equal(wanted, view.Stored);
            Assert.Equal(wanted, view.Effective);
            foreach (var (actor, row) in new[] { (scene.Admin, wanted.Admin), (scene.Member, wanted.Member) })
            {
                var why = $"{actor.Role} with Send email {row.SendEmail}, Add email accounts {row.AddAccounts}";
                await AssertSendAsync(scene, actor, row.SendEmail, why);
                await AssertLinkAsync(scene, actor, row.AddAccounts, why);
            }
            // The owner always may, guests never, whatever the rows say.
            await AssertOwnerSendsAsync(scene);
            await AssertGuestRefusedAsync(scene);
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TurningOnAdd_TurnsOnSend_ThenAnyCombinationCanBeSet_AndAnAdminChangesOnlyTheMemberRow(Database database)
    {
        await using var scene = await SceneAsync(database);
        var owner = scene.Server.Http;
        // Nothing set yet: the defaults, both on for both roles.
        var view = await owner.GetAsync<View>("/api/workspace/email-permissions");
        Assert.Equal(new Roles(new Row(true, true), new Row(true, true)), view.Stored);
        Assert.True(view.Available);
        Assert.True(view.MayChangeAdmin && view.MayChangeMember);

        view = await PutAsync(owner, new { member = new { sendEmail = false, addAccounts = false } });
        Assert.Equal(new Row(false, false), view.Stored.Member);
        // Turning Add on turns Send on with it, even when the same request asks Send off...
        view = await PutAsync(owner, new { member = new { sendEmail = false, addAccounts = true } });
        Assert.Equal(new Row(true, true), view.Stored.Member);
        // ...after which Send can be turned off on its own: Add without Send is a combination too.
        view = await PutAsync(owner, new { member = new { sendEmail = false } });
        Assert.Equal(new Row(false, true), view.Stored.Member);
        Assert.Equal(new Row(true, true), view.Stored.Admin);
        await AssertSendAsync(scene, scene.Member, false, "member with Add but not Send");
        await AssertLinkAsync(scene, scene.Member, true, "member with Add but not Send");
        // Send on its own, without Add.
        view = await PutAsync(owner, new { member = new { sendEmail = true, addAccounts = false } });
        Assert.Equal(new Row(true, false), view.Stored.Member);

        // An admin reads them and changes the Member row, but not the Admin row: the owner's.
        var asAdmin = await scene.Admin.Client.GetAsync<View>("/api/workspace/email-permissions");
        Assert.Equal(view.Stored, asAdmin.Stored);
        Assert.Equal((false, true), (asAdmin.MayChangeAdmin, asAdmin.MayChangeMember));
        asAdmin = await PutAsync(scene.Admin.Client, new { member = new { addAccounts = true } });
        Assert.Equal(new Row(true, true), asAdmin.Stored.Member);
        using (var own = await scene.Admin.Client.PutAsJsonAsync("/api/workspace/email-permissions", new { admin = new { sendEmail = false } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
            var problem = await Api.ProblemAsync(own);
            Assert.Equal("email_permissions_admin_row_owner_only", problem.Code);
        }
        // Sending the Admin row unchanged along with the Member row is fine (a form posts both).
        asAdmin = await PutAsync(scene.Admin.Client, new { admin = new { sendEmail = true, addAccounts = true }, member = new { sendEmail = false } });
        Assert.Equal(new Roles(new Row(true, true), new Row(false, true)), asAdmin.Stored);

        // Members and guests neither read nor change them.
        foreach (var client in new[] { scene.Member.Client, scene.Guest.Client })
        {
            using var read = await client.GetAsync("/api/workspace/email-permissions");
            Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
            Assert.Equal("email_permissions_admins_only", (await Api.ProblemAsync(read)).Code);
            using var write = await client.PutAsJsonAsync("/api/workspace/email-permissions", new { member = new { sendEmail = true } });
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
            Assert.Equal("email_permissions_admins_only", (await Api.ProblemAsync(write)).Code);
        }
        Assert.Equal(new Row(false, true), (await owner.GetAsync<View>("/api/workspace/email-permissions")).Stored.Member);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task OnBusiness_TheyAreLocked_AndAfterADowngrade_TheStoredSettingsAreKeptButIgnored(Database database)
    {
        await using var scene = await SceneAsync(database);
        var owner = scene.Server.Http;
        await SetAsync(owner, new Roles(new Row(false, false), new Row(false, false)));
        await AssertSendAsync(scene, scene.Member, false, "member on Business Plus, Send off");
        await AssertLinkAsync(scene, scene.Admin, false, "admin on Business Plus, Add off");

        // A scheduled email is a send too: its edit is refused like a new one. (Scheduled while allowed.)
        await PutAsync(owner, new { member = new { addAccounts = true } });
        var later = await scene.Member.Client.QueueAsync(scene.TaskId, Form(scene.Member.SendFrom, "max@mail.test", "Later", "<p>Later</p>", sendAt: DateTimeOffset.UtcNow.AddDays(2)));
        await PutAsync(owner, new { member = new { sendEmail = false, addAccounts = false } });
        using (var edit = await scene.Member.Client.PutAsync($"/api/emails/{later.Id}", Form(scene.Member.SendFrom, "max@mail.test", "Later, changed", "<p>Later</p>", sendAt: DateTimeOffset.UtcNow.AddDays(3))))
        {
            await AssertAccess137Async(edit, "Member");
        }

        // Down to Business: the defaults apply (everyone but guests sends and links), the settings stay.
        await scene.Server.UsePlanAsync("business");
        var view = await owner.GetAsync<View>("/api/workspace/email-permissions");
        Assert.False(view.Available);
        Assert.Equal("plan_custom_permissions_locked", view.LockedCode);
        Assert.Equal("business-plus", view.UnlockedBy);
        Assert.Contains("Business Plus and above", view.LockedMessage);
        Assert.Equal(new Roles(new Row(false, false), new Row(false, false)), view.Stored);
        Assert.Equal(new Roles(new Row(true, true), new Row(true, true)), view.Effective);
        Assert.False(view.MayChangeAdmin || view.MayChangeMember);
        await AssertSendAsync(scene, scene.Member, true, "member on Business");
        await AssertSendAsync(scene, scene.Admin, true, "admin on Business");
        await AssertLinkAsync(scene, scene.Admin, true, "admin on Business");
        await AssertLinkAsync(scene, scene.Member, true, "member on Business");
        await AssertGuestRefusedAsync(scene);
        // Changing them needs the plan, and the refusal names the plan that has them.
        using (var locked = await owner.PutAsJsonAsync("/api/workspace/email-permissions", new { member = new { sendEmail = true } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, locked.StatusCode);
            var problem = await Api.ProblemAsync(locked);
            Assert.Equal("plan_custom_permissions_locked", problem.Code);
            Assert.Contains("Business Plus", problem.Detail);
        }
        Assert.Equal(new Roles(new Row(false, false), new Row(false, false)), (await owner.GetAsync<View>("/api/workspace/email-permissions")).Stored);

        // Back on Business Plus, what was set applies again.
        await scene.Server.UsePlanAsync("business-plus");
        await AssertSendAsync(scene, scene.Member, false, "member back on Business Plus");
        await AssertLinkAsync(scene, scene.Admin, false, "admin back on Business Plus");
    }

    /// <summary>The two steps a person takes for a row: Add first (which may turn Send on), then Send.</summary>
    private static async Task<View> SetAsync(HttpClient owner, Roles wanted)
    {
        await PutAsync(owner, new { admin = new { addAccounts = wanted.Admin.AddAccounts }, member = new { addAccounts = wanted.Member.AddAccounts } });
        return await PutAsync(owner, new { admin = new { sendEmail = wanted.Admin.SendEmail }, member = new { sendEmail = wanted.Member.SendEmail } });
    }

    private static async Task<View> PutAsync(HttpClient http, object body)
    {
        using var response = await http.PutAsJsonAsync("/api/workspace/email-permissions", body);
        await Api.EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync<View>())!;
    }

    /// <summary>An email from the task through the account the actor may send from: queued (201), or ACCESS_137 and nothing queued.</summary>
    private static async Task AssertSendAsync(Scene scene, Actor actor, bool allowed, string why)
    {
        var before = (await scene.Server.Http.EmailsAsync(scene.TaskId)).Count;
        var sendable = await actor.Client.GetAsync<List<Account>>("/api/accounts/sendable");
        using var response = await actor.Client.PostAsync($"/api/tasks/{scene.TaskId}/emails", Form(actor.SendFrom, "max@mail.test", $"From the {actor.Role}", "<p>Hello</p>"));
        if (allowed)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{why}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal([actor.SendFrom], sendable.Select(a => a.Id));
            Assert.Equal(before + 1, (await scene.Server.Http.EmailsAsync(scene.TaskId)).Count);
        }
        else
        {
            await AssertAccess137Async(response, actor.Role, why);
            // The From field offers nothing, and the one account is refused by id too.
            Assert.Empty(sendable);
            using var one = await actor.Client.GetAsync($"/api/accounts/sendable/{actor.SendFrom}");
            await AssertAccess137Async(one, actor.Role, why);
            Assert.Equal(before, (await scene.Server.Http.EmailsAsync(scene.TaskId)).Count);
        }
    }

    private static async Task AssertAccess137Async(HttpResponseMessage response, string role, string why = "")
    {
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{why}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var problem = await Api.ProblemAsync(response);
        Assert.Equal("ACCESS_137", problem.Code);
        Assert.StartsWith("You do not have permission to send from this email address.", problem.Detail);
        Assert.Contains($"The {role} role lacks the \"Send email (Email app)\" permission", problem.Detail);
        Assert.Contains("Settings → Security & Permissions", problem.Detail);
        Assert.Contains(role == "Admin" ? "The workspace's owner can change it" : "The workspace's owner or an admin can change it", problem.Detail);
    }

    /// <summary>
    /// Linking the actor's second mailbox with its password (then removed again, to keep the slot
    /// free), and starting a link through Google: both allowed, or account_add_not_allowed and nothing linked.
    /// </summary>
    private async Task AssertLinkAsync(Scene scene, Actor actor, bool allowed, string why)
    {
        var request = fixture.Custom(actor.LinkUser, actor.LinkPassword);
        using var test = await actor.Client.PostAsJsonAsync("/api/accounts/test", request);
        using var link = await actor.Client.PostAsJsonAsync("/api/accounts", request);
        using var oauth = await actor.NoRedirect.GetAsync("/settings/email-accounts/oauth/google/start");
        var mine = (await actor.Client.GetAsync<List<Account>>("/api/accounts")).Where(a => a.Email == fixture.Mail.Address(actor.LinkUser)).ToList();
        if (allowed)
        {
            Assert.True(test.StatusCode == HttpStatusCode.OK, $"{why}: test {(int)test.StatusCode} {await test.Content.ReadAsStringAsync()}");
            Assert.True(link.StatusCode == HttpStatusCode.Created, $"{why}: link {(int)link.StatusCode} {await link.Content.ReadAsStringAsync()}");
            Assert.True(oauth.StatusCode == HttpStatusCode.Redirect, $"{why}: OAuth start {(int)oauth.StatusCode} {await oauth.Content.ReadAsStringAsync()}");
            Assert.StartsWith("https://accounts.example.test/authorize?", oauth.Headers.Location?.ToString());
            var linked = Assert.Single(mine);
            using var removed = await actor.Client.DeleteAsync($"/api/accounts/{linked.Id}");
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }
        else
        {
            foreach (var (step, response) in new[] { ("test", test), ("link", link), ("OAuth start", oauth) })
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{why}: {step} {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                var problem = await Api.ProblemAsync(response);
                Assert.Equal("account_add_not_allowed", problem.Code);
                Assert.Contains($"the {actor.Role} role lacks the \"Add email accounts (Email app)\" permission", problem.Detail);
            }
            Assert.Empty(mine);
        }
    }

    private static async Task AssertOwnerSendsAsync(Scene scene)
    {
        var owner = scene.Server.Http;
        var account = Assert.Single(await owner.GetAsync<List<Account>>("/api/accounts/sendable"));
        using var response = await owner.PostAsync($"/api/tasks/{scene.TaskId}/emails", Form(account.Id, "max@mail.test", "From the owner", "<p>Hello</p>"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task AssertGuestRefusedAsync(Scene scene)
    {
        using var link = await scene.Guest.Client.PostAsJsonAsync("/api/accounts", fixture.Custom("max", OutboxMailFixture.MaxPassword));
        Assert.Equal(HttpStatusCode.Forbidden, link.StatusCode);
        Assert.Equal("account_guest_refused", (await Api.ProblemAsync(link)).Code);
        using var oauth = await scene.Guest.NoRedirect.GetAsync("/settings/email-accounts/oauth/google/start");
        Assert.Equal(HttpStatusCode.Forbidden, oauth.StatusCode);
        var before = (await scene.Server.Http.EmailsAsync(scene.TaskId)).Count;
        using var send = await scene.Guest.Client.PostAsync($"/api/tasks/{scene.TaskId}/emails", Form(scene.Guest.SendFrom, "max@mail.test", "From the guest", "<p>Hello</p>"));
        // Not invited to the task's space, the guest does not even see the task; nothing is queued either way.
        Assert.Contains(send.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        Assert.Equal(before, (await scene.Server.Http.EmailsAsync(scene.TaskId)).Count);
        using var sendable = await scene.Guest.Client.GetAsync("/api/accounts/sendable");
        Assert.Equal(HttpStatusCode.Forbidden, sendable.StatusCode);
    }
}
