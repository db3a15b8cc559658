using System.Net;
using Mailroom.Tests.Infrastructure;
using MimeKit;
using static Mailroom.Tests.Outbound.OutboxClient;

namespace Mailroom.Tests.Outbound;

/// <summary>
/// Email from a task through a member's own mailbox, against a real Dovecot and Postfix: what the
/// recipient receives, what Sent holds, what the task's activity says, and what is refused before
/// anything is queued.
/// </summary>
public class OutboxSendTests(OutboxMailFixture fixture) : IClassFixture<OutboxMailFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    internal sealed record Scene(MailroomServer Server, HttpClient Mia, Guid MiaId, Account Account, Guid TaskId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Mia.Dispose();
            await Server.DisposeAsync();
        }
    }

    /// <summary>Mailroom with mia, who linked her mailbox (sending as "Mia from Acme"), and a task she can write on.</summary>
    /// <remarks>On <paramref name="plan"/>: Enterprise unless a test is about a smaller plan's limits (Send later, several accounts).</remarks>
    internal static async Task<Scene> SceneAsync(OutboxMailFixture fixture, Database database, IDictionary<string, string>? settings = null, string plan = "enterprise")
    {
        var all = Settings;
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
        {
            all[k] = v;
        }
        var server = await MailroomServer.StartAsync(database, all);
        await server.SetupAsync();
        await server.UsePlanAsync(plan);
        var (mia, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        var account = await miaClient.LinkAsync(fixture.Custom("mia", OutboxMailFixture.MiaPassword, sendAsName: "Mia from Acme"));
        var (_, list) = await server.Http.SpaceWithListAsync();
        var task = await server.Http.CreateTaskAsync(list.Id, "Quote for the Berlin office");
        return new Scene(server, miaClient, mia.Id, account, task.Id);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Send_WithTwoAttachments_ArrivesWithItsHeaders_SentHoldsOneCopy_AndTheActivityShowsIt(Database database)
    {
        await using var scene = await SceneAsync(fixture, database);
        var pdf = "%PDF-1.4 quote"u8.ToArray();
        var csv = "item,price\ndesk,120\n"u8.ToArray();
        var queued = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "Max Mustermann <max@mail.test>", "Your quote",
            "<p>Hello Max,</p><p>the <b>quote</b> is attached. <a href=\"https://example.com/terms\">Terms</a></p>", cc: null, bcc: null,
            files: [("quote.pdf", "application/pdf", pdf), ("prices.csv", "text/csv", csv)]));
        // The worker is woken at once: by the time the answer is read it may be on its way already.
        Assert.Contains(queued.Status, new[] { "Queued", "Sending", "Sent" });
        Assert.Equal("Mia from Acme <mia@mail.test>", queued.From);
        Assert.Equal(["quote.pdf", "prices.csv"], queued.Attachments.Select(a => a.FileName));

        var sent = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, queued.Id);
        Assert.True(sent.Status == "Sent", $"{sent.Status} {sent.FailureCode} {sent.FailureReason}\n{scene.Server.Log}");

        // Max's INBOX, read as Max would.
        var received = Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, queued.Id));
        var from = Assert.Single(received.From.Mailboxes);
        Assert.Equal(("Mia from Acme", "mia@mail.test"), (from.Name, from.Address));
        Assert.Equal("max@mail.test", Assert.Single(received.To.Mailboxes).Address);
        Assert.Equal("Your quote", received.Subject);
        Assert.Equal(queued.Id.ToString(), received.Headers["X-Mailroom-Outbox"]);
        Assert.EndsWith("@mail.test", received.MessageId);
        Assert.Contains("the quote is attached", received.TextBody);
        Assert.Contains("<b>quote</b>", received.HtmlBody);
        // No link rewriting, no tracking pixel.
        Assert.Contains("https://example.com/terms", received.HtmlBody);
        Assert.DoesNotContain("<img", received.HtmlBody);
        var files = received.Attachments.OfType<MimePart>().ToDictionary(p => p.FileName ?? "", p => Read(p));
        Assert.Equal(pdf, files["quote.pdf"]);
        Assert.Equal(csv, files["prices.csv"]);

        // Mia's Sent folder: exactly one copy, flagged read... and it is the one Max got.
        var copies = await WaitForAsync(fixture.Mail, "mia", OutboxMailFixture.MiaPassword, queued.Id, sent: true);
        await Task.Delay(500); // a second append would come right after the first
        copies = await FindAsync(fixture.Mail, "mia", OutboxMailFixture.MiaPassword, queued.Id, sent: true);
        Assert.Equal(received.MessageId, Assert.Single(copies).MessageId);

        // The activity: the email as a comment (with its Message-ID, so replies thread under it) and the "sent" line.
        var activity = await scene.Mia.ActivityAsync(scene.TaskId);
        var email = Assert.Single(activity, a => a.Kind == "Email");
        Assert.Contains("emailed Max Mustermann <max@mail.test>", email.Text);
        Assert.NotNull(email.Comment);
        Assert.True(email.Comment!.FromEmail);
        Assert.Equal(["prices.csv", "quote.pdf"], email.Comment.Attachments.Select(a => a.FileName));
        Assert.Contains("the quote is attached", email.Comment.Body);
        var line = Assert.Single(activity, a => a.Kind == "EmailSent");
        Assert.Equal(scene.MiaId, line.ActorUserId);
        Assert.Contains("sent the email \"Your quote\"", line.Text);
        Assert.True(line.CreatedAt >= email.CreatedAt);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Queue_RefusesBadRecipients_OverSizeEmails_AndOthersAccounts_BeforeStoringAnything(Database database)
    {
        await using var scene = await SceneAsync(fixture, database);

        using (var bad = await scene.Mia.PostAsync($"/api/tasks/{scene.TaskId}/emails", Form(scene.Account.Id, "max@mail.test, not-an-address", "Hi", "<p>Hi</p>")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var problem = await Api.ProblemAsync(bad);
            Assert.Equal("invalid_recipient", problem.Code);
            Assert.Contains("not-an-address", problem.Detail);
        }
        using (var none = await scene.Mia.PostAsync($"/api/tasks/{scene.TaskId}/emails", Form(scene.Account.Id, " ", "Hi", "<p>Hi</p>")))
        {
            Assert.Equal("recipient_required", (await Api.ProblemAsync(none)).Code);
        }

        // The submission server advertises SIZE 1 MB in EHLO; 800 KB in base64 is over it.
        var big = new byte[800 * 1024];
        Random.Shared.NextBytes(big);
        using (var tooLarge = await scene.Mia.PostAsync($"/api/tasks/{scene.TaskId}/emails",
            Form(scene.Account.Id, "max@mail.test", "Big", "<p>Big</p>", files: [("big.bin", "application/octet-stream", big)])))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
            var problem = await Api.ProblemAsync(tooLarge);
            Assert.Equal("email_too_large", problem.Code);
            Assert.Contains("at most 1 MB", problem.Detail);
        }

        // Max is a member without a grant on Mia's account.
        var (_, maxClient) = await scene.Server.Http.AddMemberAsync("Max Member", "max@acme.test", "Member");
        using (maxClient)
        using (var refused = await maxClient.PostAsync($"/api/tasks/{scene.TaskId}/emails", Form(scene.Account.Id, "max@mail.test", "Hi", "<p>Hi</p>")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var problem = await Api.ProblemAsync(refused);
            Assert.Equal("ACCESS_137", problem.Code);
            Assert.Contains("permission to send from this email address", problem.Detail);
        }

        Assert.Empty(await scene.Mia.EmailsAsync(scene.TaskId));
        Assert.DoesNotContain(await scene.Mia.ActivityAsync(scene.TaskId), a => a.Kind is "Email" or "EmailSent" or "EmailFailed");
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Send_ToAnUnknownUser_FailsAtOnce_WithTheServersCode_InTheActivity_AndTellsTheAuthor(Database database)
    {
        await using var scene = await SceneAsync(fixture, database);
        var queued = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "nobody@mail.test", "Hello?", "<p>Anyone?</p>"));

        var failed = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, queued.Id);
        Assert.Equal(("Failed", "smtp_5.1.1"), (failed.Status, failed.FailureCode));
        Assert.Contains("nobody@mail.test", failed.FailureReason);
        // Permanent: tried once, never again.
        Assert.DoesNotContain("retrying", scene.Server.Log);
        Assert.Equal(1, (await OutboxRows.EmailAsync(scene.Server, queued.Id)).Attempts);
        Assert.Equal("Failed", (await OutboxRows.EmailAsync(scene.Server, queued.Id)).Status.ToString());

        // What the author reads: the code, who was refused, and the server's own reply.
        var line = Assert.Single(await scene.Mia.ActivityAsync(scene.TaskId), a => a.Kind == "EmailFailed");
        Assert.Contains("could not be sent: smtp_5.1.1 nobody@mail.test was refused: 550 5.1.1", line.Text);
        Assert.Contains("Recipient address rejected", line.Text);
        var notice = Assert.Single(await scene.Mia.GetAsync<List<Notification>>("/api/notifications"));
        Assert.Equal(scene.TaskId, notice.TaskId);
        Assert.Contains("could not be sent: smtp_5.1.1", notice.Text);
    }

    private static byte[] Read(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }
}
