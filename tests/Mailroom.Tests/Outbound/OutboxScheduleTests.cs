using Mailroom.Permissions;
using System.Net;
using System.Net.Http.Json;
using Mailroom.Accounts;
using Mailroom.Billing;
using Mailroom.EmailApp;
using Mailroom.Inbound;
using Mailroom.Integrations;
using Mailroom.Notifications;
using Mailroom.Outbound;
using Mailroom.People;
using Mailroom.Spaces;
using Mailroom.Storage;
using Mailroom.Tasks;
using Mailroom.Tests.Infrastructure;
using Mailroom.Workspaces;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Mailroom.Tests.Outbound.OutboxClient;

namespace Mailroom.Tests.Outbound;

/// <summary>Send later: on time, only once, never when cancelled, after a restart, and held when the thread is answered first.</summary>
public class OutboxScheduleTests(OutboxMailFixture fixture) : IClassFixture<OutboxMailFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Scheduled_LeavesWithinASecondOfItsTime_SeenOnlyByItsAuthor_AndACancelledOneNeverLeaves(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database);
        var at = DateTimeOffset.Now.AddSeconds(5);
        var onTime = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "On time", "<p>At five.</p>", sendAt: at));
        var cancelled = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "Never", "<p>Cancelled.</p>", sendAt: at));
        Assert.Equal(("Scheduled", "Scheduled"), (onTime.Status, cancelled.Status));
        // Until it leaves it is Mia's alone: not in the owner's list, not in the activity.
        Assert.Empty(await scene.Server.Http.EmailsAsync(scene.TaskId));
        Assert.DoesNotContain(await scene.Server.Http.ActivityAsync(scene.TaskId), a => a.Kind == "Email");

        using (var delete = await scene.Mia.DeleteAsync($"/api/emails/{cancelled.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }
        // Someone else cannot touch it, and does not learn it exists.
        using (var other = await scene.Server.Http.DeleteAsync($"/api/emails/{onTime.Id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }

        var sent = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, onTime.Id, TimeSpan.FromSeconds(20));
        Assert.Equal("Sent", sent.Status);
        var lateness = sent.SentAt!.Value - at;
        Assert.True(lateness < TimeSpan.FromSeconds(1.5) && lateness > TimeSpan.FromSeconds(-0.1), $"left {lateness.TotalMilliseconds:0} ms after its time");
        Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, onTime.Id));

        // Once it left, the task shows it to everyone; the cancelled one still only to Mia, never sent.
        Assert.Equal([onTime.Id], (await scene.Server.Http.EmailsAsync(scene.TaskId)).Select(e => e.Id));
        Assert.Contains(await scene.Server.Http.ActivityAsync(scene.TaskId), a => a.Kind == "EmailSent");
        Assert.Equal("Cancelled", (await scene.Mia.EmailsAsync(scene.TaskId)).Single(e => e.Id == cancelled.Id).Status);
        Assert.Empty(await FindAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, cancelled.Id));
        using var again = await scene.Mia.DeleteAsync($"/api/emails/{onTime.Id}");
        Assert.Equal("email_not_scheduled", (await Api.ProblemAsync(again)).Code);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Scheduled_ByAMemberWhoseGrantIsRevokedBeforeItsTime_NeverLeaves_AndFailsWithAccess137(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database);
        var ownerId = (await scene.Server.Http.GetAsync<List<Api.Member>>("/api/members")).Single(m => m.Role == "Owner").Id;
        using (var granted = await scene.Mia.PostAsJsonAsync($"/api/accounts/{scene.Account.Id}/grants", new { userId = ownerId }))
        {
            await Api.EnsureAsync(granted);
        }
        // The owner, lent Mia's mailbox, schedules an email from it; Mia takes the grant back before it is due.
        var email = await scene.Server.Http.QueueAsync(scene.TaskId,
            Form(scene.Account.Id, "max@mail.test", "From Mia's mailbox", "<p>Sent by the owner.</p>", sendAt: DateTimeOffset.Now.AddSeconds(4)));
        Assert.Equal("Scheduled", email.Status);
        using (var revoked = await scene.Mia.DeleteAsync($"/api/accounts/{scene.Account.Id}/grants/{ownerId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        var outcome = await scene.Server.Http.WaitForOutcomeAsync(scene.TaskId, email.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(("Failed", "ACCESS_137"), (outcome.Status, outcome.FailureCode));
        Assert.Contains("may no longer send from mia@mail.test", outcome.FailureReason);
        // It never left, not even after a while (a retry would be a send in Mia's name).
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(await FindAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, email.Id));
        Assert.Equal("Failed", (await scene.Server.Http.EmailsAsync(scene.TaskId)).Single(e => e.Id == email.Id).Status);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Scheduled_WhenMailroomIsKilledBeforeItsTime_LeavesAfterTheRestart_Once(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database);
        var at = DateTimeOffset.Now.AddSeconds(4);
        var email = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "After the restart", "<p>Still here.</p>", sendAt: at));

        scene.Server.Kill();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await scene.Server.StartAsync();

        var sent = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, email.Id, TimeSpan.FromSeconds(20));
        Assert.Equal("Sent", sent.Status);
        Assert.True(sent.SentAt >= at);
        Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, email.Id));
        await Task.Delay(1000);
        Assert.Single(await FindAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, email.Id));
        Assert.Single(await scene.Mia.ActivityAsync(scene.TaskId), a => a.Kind == "EmailSent");
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Hold_AReplyInTheThreadBeforeAScheduledReplyLeaves_HoldsIt_AndTellsItsAuthor(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database);
        var first = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "Quote", "<p>Here it is.</p>"));
        Assert.Equal("Sent", (await scene.Mia.WaitForOutcomeAsync(scene.TaskId, first.Id)).Status);
        var comment = (await scene.Mia.CommentsAsync(scene.TaskId)).Single(c => c.FromEmail);

        // A follow-up to that email for tomorrow, and an unrelated new email for tomorrow.
        var tomorrow = DateTimeOffset.Now.AddDays(1);
        var followUp = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "Re: Quote", "<p>Any news?</p>", sendAt: tomorrow, replyTo: comment.Id));
        var unrelated = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "Newsletter", "<p>News.</p>", sendAt: tomorrow));

        // Max answers the quote: the reply watcher calls the outbox with the comment his reply answered.
        await using (var services = Services(scene.Server))
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
            await scope.ServiceProvider.GetRequiredService<OutboxService>().HoldScheduledInThreadAsync(db, scene.TaskId, comment.Id, DateTimeOffset.UtcNow, CancellationToken.None);
            await db.SaveChangesAsync();
        }

        var emails = await scene.Mia.EmailsAsync(scene.TaskId);
        Assert.Equal("Held", emails.Single(e => e.Id == followUp.Id).Status);
        Assert.Equal("Scheduled", emails.Single(e => e.Id == unrelated.Id).Status);
        var notice = Assert.Single(await scene.Mia.GetAsync<List<OutboxClient.Notification>>("/api/notifications"));
        Assert.Contains("\"Re: Quote\" was held", notice.Text);
        Assert.Equal(scene.TaskId, notice.TaskId);
        // A held email is still Mia's alone, and can be cancelled.
        Assert.DoesNotContain(await scene.Server.Http.EmailsAsync(scene.TaskId), e => e.Id == followUp.Id);
        using var cancel = await scene.Mia.DeleteAsync($"/api/emails/{followUp.Id}");
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Edit_AScheduledEmail_ChangesWhatLeavesAndWhen_ButOnlyItsAuthor_OnlyBeforeItLeft_AndNeverToAPastTime(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database);
        var email = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "max@mail.test", "Draft", "<p>First draft.</p>", sendAt: DateTimeOffset.Now.AddDays(1)));

        // Someone else cannot change it, and does not learn it exists.
        using (var other = await scene.Server.Http.PutAsync($"/api/emails/{email.Id}", Form(scene.Account.Id, "max@mail.test", "Hijacked", "<p>Mine now.</p>")))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }
        // A time that has passed is a mistake, not "now".
        using (var past = await scene.Mia.PutAsync($"/api/emails/{email.Id}", Form(scene.Account.Id, "max@mail.test", "Draft", "<p>First draft.</p>", sendAt: DateTimeOffset.Now.AddHours(-1))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
            var problem = await Api.ProblemAsync(past);
            Assert.Equal("invalid_send_at", problem.Code);
            Assert.Contains("has passed", problem.Detail);
        }
        // Signed in by cookie, the form must carry the antiforgery token (another site's page could post it otherwise).
        var signIn = await WebSignIn.PostAsync(scene.Server, "mia@acme.test", "member-password");
        using (var cookieClient = new HttpClient { BaseAddress = scene.Server.Http.BaseAddress })
        using (var request = new HttpRequestMessage(HttpMethod.Put, $"/api/emails/{email.Id}") { Content = Form(scene.Account.Id, "max@mail.test", "Forged", "<p>Forged.</p>") })
        {
            request.Headers.Add("Cookie", string.Join("; ", signIn.SetCookies.Select(c => c.Split(';')[0])));
            using var forged = await cookieClient.SendAsync(request);
            Assert.Equal("antiforgery_failed", (await Api.ProblemAsync(forged)).Code);
        }
        var unchanged = (await scene.Mia.EmailsAsync(scene.TaskId)).Single(e => e.Id == email.Id);
        Assert.Equal(("Draft", "Scheduled"), (unchanged.Subject, unchanged.Status));

        // Mia, with her API token (no antiforgery token needed): new recipients, subject, body and time.
        var at = DateTimeOffset.Now.AddSeconds(5);
        using (var edit = await scene.Mia.PutAsync($"/api/emails/{email.Id}", Form(scene.Account.Id, "mia@mail.test", "Final quote", "<p>Final version.</p>", sendAt: at, cc: "max@mail.test")))
        {
            await Api.EnsureAsync(edit);
            var edited = (await edit.Content.ReadFromJsonAsync<Email>())!;
            Assert.Equal(("Final quote", "Scheduled"), (edited.Subject, edited.Status));
            Assert.Equal(["mia@mail.test"], edited.To);
            Assert.Equal(["max@mail.test"], edited.Cc);
            Assert.Equal(at.ToUnixTimeSeconds(), edited.SendAt!.Value.ToUnixTimeSeconds());
        }
        var sent = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, email.Id, TimeSpan.FromSeconds(20));
        Assert.Equal("Sent", sent.Status);
        Assert.True(sent.SentAt >= at.AddMilliseconds(-100), $"left at {sent.SentAt:O}, due {at:O}");
        var received = Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, email.Id));
        Assert.Equal("Final quote", received.Subject);
        Assert.Equal("mia@mail.test", Assert.Single(received.To.Mailboxes).Address);
        Assert.Equal("max@mail.test", Assert.Single(received.Cc.Mailboxes).Address);
        Assert.Contains("Final version.", received.TextBody);
        Assert.Single(await WaitForAsync(fixture.Mail, "mia", OutboxMailFixture.MiaPassword, email.Id));

        // Once it left: not the author's to change any more, and not anyone else's either.
        using (var late = await scene.Mia.PutAsync($"/api/emails/{email.Id}", Form(scene.Account.Id, "max@mail.test", "Too late", "<p>Too late.</p>")))
        {
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
            Assert.Equal("email_not_scheduled", (await Api.ProblemAsync(late)).Code);
        }
        using (var other = await scene.Server.Http.PutAsync($"/api/emails/{email.Id}", Form(scene.Account.Id, "max@mail.test", "Hijacked", "<p>Mine now.</p>")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        }
        Assert.Equal("Final quote", (await scene.Server.Http.EmailsAsync(scene.TaskId)).Single(e => e.Id == email.Id).Subject);
    }

    /// <summary>The application's services on the server's own database and data directory, as the watcher (in the server) has them.</summary>
    private static ServiceProvider Services(MailroomServer server)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(server.Settings.ToDictionary(k => k.Key, k => (string?)k.Value)).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddSingleton(TimeProvider.System);
        services.AddDataProtection().SetApplicationName("Mailroom").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(server.DataDirectory, "keys")));
        services.AddStorage(configuration);
        services.AddPeople();
        services.AddWorkspaces();
        services.AddIntegrations();
        services.AddSpaces();
        services.AddTasks();
        services.AddEmailApp();
        services.AddNotifications();
        services.AddPermissions();
        services.AddBilling(configuration);
        services.AddAccounts();
        services.AddOutbound();
        return services.BuildServiceProvider();
    }
}
