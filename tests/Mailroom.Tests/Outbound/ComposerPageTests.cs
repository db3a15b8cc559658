using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;
using MimeKit;
using static Mailroom.Tests.Outbound.OutboxClient;

namespace Mailroom.Tests.Outbound;

/// <summary>
/// The task page's Email tab as a browser posts it (multipart, antiforgery, the session cookie),
/// against a real Dovecot and Postfix: what is sent and received, what a refusal keeps, what a
/// guest is shown, and a scheduled email changed and cancelled from the page.
/// </summary>
public class ComposerPageTests(OutboxMailFixture fixture) : IClassFixture<OutboxMailFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private static string Tab(Guid taskId) => $"/tasks/{taskId}?tab=email";

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Compose_ToTwoRecipientsWithTwoAttachments_RedirectsBack_ArrivesWithBothFiles_AndTheActivityShowsItOnce(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database);
        var cookies = await SignInAsync(scene.Server, "mia@acme.test");

        var page = await GetAsync(scene.Server, Tab(scene.TaskId), cookies);
        Assert.Contains($"<option value=\"{scene.Account.Id}\">Mia from Acme &lt;mia@mail.test&gt;</option>", page);
        Assert.Contains("lib/trix/trix.umd.min.js", page);
        // From → Manage accounts, where a linked mailbox is removed (B6); and another one linked.
        Assert.Contains("<a href=\"/settings/email-accounts#accounts-heading\">Manage accounts</a>", page);
        Assert.Contains("<a href=\"/settings/email-accounts#link-heading\">Add an email account</a>", page);
        // Enterprise's second free account is still there to link.
        Assert.Contains("<span data-testid=\"from-room\">1 free account</span>", page);
        Assert.Contains("name=\"bodyHtml\"", page);
        Assert.Contains("In your time zone, UTC (UTC+00:00)", WebUtility.HtmlDecode(page));
        // The editor is loaded only where an email is written.
        Assert.DoesNotContain("trix.umd.min.js", await GetAsync(scene.Server, $"/tasks/{scene.TaskId}", cookies));

        var pdf = "%PDF-1.4 quote"u8.ToArray();
        var csv = "item,price\ndesk,120\n"u8.ToArray();
        var answer = await WebForm.PostMultipartAsync(scene.Server, Tab(scene.TaskId), "compose",
            Fields(scene.Account.Id, to: "Max Mustermann <max@mail.test>, mia@mail.test", subject: "Your quote",
                body: "<div>Hello Max,<br>the <strong>quote</strong> is attached.</div>"),
            [("quote.pdf", "application/pdf", pdf), ("prices.csv", "text/csv", csv)], cookies);

        Assert.Equal(HttpStatusCode.Redirect, answer.Status);
        Assert.Equal(Tab(scene.TaskId), new Uri(answer.Location!).PathAndQuery);
        var queued = Assert.Single(await scene.Mia.EmailsAsync(scene.TaskId));
        Assert.Equal(["\"Max Mustermann\" <max@mail.test>", "mia@mail.test"], queued.To);
        var sent = await scene.Mia.WaitForOutcomeAsync(scene.TaskId, queued.Id);
        Assert.True(sent.Status == "Sent", $"{sent.Status} {sent.FailureCode} {sent.FailureReason}\n{scene.Server.Log}");

        var received = Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, queued.Id));
        Assert.Equal("Your quote", received.Subject);
        Assert.Equal(["max@mail.test", "mia@mail.test"], received.To.Mailboxes.Select(m => m.Address));
        Assert.Contains("<strong>quote</strong>", received.HtmlBody);
        Assert.Contains("the quote is attached", received.TextBody);
        var files = received.Attachments.OfType<MimePart>().ToDictionary(p => p.FileName ?? "", Read);
        Assert.Equal(pdf, files["quote.pdf"]);
        Assert.Equal(csv, files["prices.csv"]);

        // The tab lists it as sent; the activity shows the email once (as its comment) and the "sent" line pointing at it.
        var after = await GetAsync(scene.Server, Tab(scene.TaskId), cookies);
        var outbox = after[after.IndexOf("Emails from this task", StringComparison.Ordinal)..];
        Assert.Contains(">Sent</span>", outbox);
        Assert.Contains("Your quote", outbox);
        Assert.Contains("To Max Mustermann &lt;max@mail.test&gt;, mia@mail.test", outbox);
        Assert.Contains("Attached: quote.pdf, prices.csv", outbox);
        var comment = (await scene.Mia.CommentsAsync(scene.TaskId)).Single(c => c.FromEmail);
        Assert.Equal(1, Count(after, $"id=\"comment-{comment.Id}\""));
        Assert.Contains("sent the email &quot;Your quote&quot; to Max Mustermann &lt;max@mail.test&gt;, mia@mail.test", after);
        Assert.Contains($"href=\"#comment-{comment.Id}\"", after);
    }

    [Fact]
    public async Task FromMenu_WithEveryAccountLinked_SaysSo_AndOffersAdminsASlot_WhereThePlanSellsThem()
    {
        // Free Forever's one account is Mia's: nothing more to link, and no slot to buy on that plan.
        await using var scene = await OutboxSendTests.SceneAsync(fixture, Database.Sqlite, plan: "free");
        var mia = await SignInAsync(scene.Server, "mia@acme.test");
        var page = WebUtility.HtmlDecode(await GetAsync(scene.Server, Tab(scene.TaskId), mia));
        Assert.Contains("<span data-testid=\"from-room\">No free email account · </span>", page);
        Assert.DoesNotContain("#link-heading\">Add an email account</a>", page);
        Assert.DoesNotContain("Buy a slot", page);

        // On Unlimited the owner, lent Mia's mailbox, is offered a slot from the same menu; Mia (a member) is not.
        await scene.Server.UsePlanAsync("unlimited");
        var ownerId = (await scene.Server.Http.GetAsync<List<Api.Member>>("/api/members")).Single(m => m.Role == "Owner").Id;
        using (var granted = await scene.Mia.PostAsJsonAsync($"/api/accounts/{scene.Account.Id}/grants", new { userId = ownerId }))
        {
            await Api.EnsureAsync(granted);
        }
        var owner = await WebSignIn.CookiesAsync(scene.Server, "owner@acme.test", "correct horse battery");
        Assert.Contains("<a href=\"/admin/billing#slots-heading\">Buy a slot</a>", await GetAsync(scene.Server, Tab(scene.TaskId), owner));
        Assert.DoesNotContain("Buy a slot", await GetAsync(scene.Server, Tab(scene.TaskId), mia));
    }

    [Fact]
    public async Task Compose_FromABrowserWithoutJavaScript_SendsThePlainBoxsText_AsParagraphs()
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, Database.Sqlite);
        var cookies = await SignInAsync(scene.Server, "mia@acme.test");
        // The page offers the plain box for such a browser (inside <noscript>, so Trix's input wins when it runs).
        Assert.Matches("<noscript><textarea name=\"bodyText\"[^>]*aria-labelledby=\"compose-body-label\"", await GetAsync(scene.Server, Tab(scene.TaskId), cookies));

        List<(string, string)> fields = [.. Fields(scene.Account.Id, to: "max@mail.test", subject: "No script", body: "")
            .Where(f => f.Item1 != "bodyHtml"), ("bodyText", "Hello Max,\r\nthe <quote> is ready.\r\n\r\nBest, Mia")];
        var answer = await WebForm.PostMultipartAsync(scene.Server, Tab(scene.TaskId), "compose", fields, [], cookies);

        Assert.Equal(HttpStatusCode.Redirect, answer.Status);
        var queued = Assert.Single(await scene.Mia.EmailsAsync(scene.TaskId));
        Assert.Equal("Sent", (await scene.Mia.WaitForOutcomeAsync(scene.TaskId, queued.Id)).Status);
        var received = Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, queued.Id));
        Assert.Contains("<p>Hello Max,<br>the &lt;quote&gt; is ready.</p><p>Best, Mia</p>", received.HtmlBody);
        Assert.Contains("the <quote> is ready.", received.TextBody);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Compose_WithABadCcAddress_ShowsTheErrorUnderCc_KeepsWhatWasTyped_AndQueuesNothing(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database);
        var cookies = await SignInAsync(scene.Server, "mia@acme.test");

        var answer = await WebForm.PostMultipartAsync(scene.Server, Tab(scene.TaskId), "compose",
            Fields(scene.Account.Id, to: "max@mail.test", cc: "bea@example.org, not-an-address", subject: "Kept subject", body: "<div>Kept <em>body</em></div>"),
            [("quote.pdf", "application/pdf", "%PDF-1.4"u8.ToArray())], cookies);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("<span id=\"compose-cc-error\" class=\"validation-message\">&quot;not-an-address&quot; is not an email address.</span>", answer.Html);
        Assert.Matches("id=\"compose-cc\"[^>]*aria-describedby=\"compose-cc-error\"[^>]*aria-invalid=\"true\"", answer.Html);
        Assert.Contains("value=\"bea@example.org, not-an-address\"", answer.Html);
        Assert.Contains("value=\"max@mail.test\"", answer.Html);
        Assert.Contains("value=\"Kept subject\"", answer.Html);
        Assert.Contains("value=\"&lt;div&gt;Kept &lt;em&gt;body&lt;/em&gt;&lt;/div&gt;\"", answer.Html);
        Assert.DoesNotContain("compose-to-error", answer.Html);
        Assert.Empty(await scene.Mia.EmailsAsync(scene.TaskId));

        // No recipient at all: under To. A time in the past for "later": under Send at, with the zone named.
        var none = await WebForm.PostMultipartAsync(scene.Server, Tab(scene.TaskId), "compose", Fields(scene.Account.Id, to: " ", subject: "Hi", body: "<div>Hi</div>"), [], cookies);
        Assert.Contains("<span id=\"compose-to-error\" class=\"validation-message\">Add at least one recipient in To, Cc or Bcc.</span>", none.Html);
        var past = await WebForm.PostMultipartAsync(scene.Server, Tab(scene.TaskId), "compose",
            Fields(scene.Account.Id, to: "max@mail.test", subject: "Hi", body: "<div>Hi</div>", sendAt: "2020-01-01T09:00", action: "later"), [], cookies);
        Assert.Contains("<span id=\"compose-sendAt-error\" class=\"validation-message\">That time has passed (UTC)", past.Html);
        Assert.Contains("value=\"2020-01-01T09:00\"", past.Html);
        Assert.Empty(await scene.Mia.EmailsAsync(scene.TaskId));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ReplyByEmail_FromTheActivity_StartsFromTheEmail_AndLeavesInItsThread(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database);
        var cookies = await SignInAsync(scene.Server, "mia@acme.test");
        var first = await scene.Mia.QueueAsync(scene.TaskId, Form(scene.Account.Id, "Max Mustermann <max@mail.test>", "Your quote", "<p>Attached.</p>"));
        Assert.Equal("Sent", (await scene.Mia.WaitForOutcomeAsync(scene.TaskId, first.Id)).Status);
        var original = Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, first.Id));
        var email = (await scene.Mia.CommentsAsync(scene.TaskId)).Single(c => c.FromEmail);
        var note = await scene.Mia.PostAsync<TasksApi.Comment>($"/api/tasks/{scene.TaskId}/comments", new { body = "Called Max, he wants it in writing." });

        // The activity offers a reply by email under the email, not under a plain comment.
        var page = WebUtility.HtmlDecode(await GetAsync(scene.Server, $"/tasks/{scene.TaskId}", cookies));
        Assert.Contains($"href=\"/tasks/{scene.TaskId}?tab=email&reply={email.Id}#composer\"", page);
        Assert.DoesNotContain($"reply={note.Id}", page);

        // The composer starts from it: to Max, "Re:" its subject, from the account it left through.
        var tab = WebUtility.HtmlDecode(await GetAsync(scene.Server, $"{Tab(scene.TaskId)}&reply={email.Id}", cookies));
        Assert.Contains($"name=\"replyToCommentId\" value=\"{email.Id}\"", tab);
        Assert.Contains("value=\"\"Max Mustermann\" <max@mail.test>\"", tab);
        Assert.Contains("value=\"Re: Your quote\"", tab);
        Assert.Contains($"<option value=\"{scene.Account.Id}\" selected", tab);

        var answer = await WebForm.PostMultipartAsync(scene.Server, Tab(scene.TaskId), "compose",
            [.. Fields(scene.Account.Id, to: "Max Mustermann <max@mail.test>", subject: "Re: Your quote", body: "<div>In writing, as promised.</div>"),
                ("replyToCommentId", email.Id.ToString())], [], cookies);
        Assert.Equal(HttpStatusCode.Redirect, answer.Status);
        var second = (await scene.Mia.EmailsAsync(scene.TaskId)).Single(e => e.Id != first.Id);
        Assert.Equal("Sent", (await scene.Mia.WaitForOutcomeAsync(scene.TaskId, second.Id)).Status);
        var reply = Assert.Single(await WaitForAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, second.Id));
        Assert.Equal(original.MessageId, reply.InReplyTo);
        Assert.Contains(original.MessageId, reply.References);
        Assert.Equal("Re: Your quote", reply.Subject);

        // A plain comment is no email to answer: said at the top of the composer.
        var refused = WebUtility.HtmlDecode(await GetAsync(scene.Server, $"{Tab(scene.TaskId)}&reply={note.Id}", cookies));
        Assert.Contains("That comment was not an email", refused);
    }

    [Fact]
    public async Task Compose_WithAFileOverTheServersDefaultBodyLimit_SaysUnderAttachmentsWhichLimitItIsOver_AndQueuesNothing()
    {
        // 31 MB: past Kestrel's default of 30 MB for a request, which the task page raises to the
        // outbox's own; the refusal is then the provider's limit, named under the field, not an error page.
        await using var scene = await OutboxSendTests.SceneAsync(fixture, Database.Sqlite);
        var cookies = await SignInAsync(scene.Server, "mia@acme.test");
        var big = new byte[31 * 1024 * 1024];

        var answer = await WebForm.PostMultipartAsync(scene.Server, Tab(scene.TaskId), "compose",
            Fields(scene.Account.Id, to: "max@mail.test", subject: "The big file", body: "<div>Attached.</div>"),
            [("video.mp4", "video/mp4", big)], cookies);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Matches("<span id=\"compose-attachments-error\" class=\"validation-message\">[^<]*at most 1 MB", answer.Html);
        Assert.Contains("value=\"The big file\"", answer.Html);
        Assert.Empty(await scene.Mia.EmailsAsync(scene.TaskId));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Guest_SeesNoEmailTab_NorAComposer_AndAPostedComposeFormSendsNothing(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database);
        var task = await scene.Server.Http.GetAsync<TasksApi.TaskItem>($"/api/tasks/{scene.TaskId}");
        var (guest, guestClient) = await scene.Server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");
        guestClient.Dispose();
        using (var letIn = await scene.Server.Http.PostAsJsonAsync($"/api/spaces/{task.SpaceId}/guests", new { userId = guest.Id }))
        {
            await Api.EnsureAsync(letIn);
        }
        var cookies = await SignInAsync(scene.Server, "gus@client.example");

        var page = await GetAsync(scene.Server, Tab(scene.TaskId), cookies);
        Assert.Contains("Quote for the Berlin office", page);
        Assert.DoesNotContain(">Email</a>", page);
        Assert.DoesNotContain("name=\"bodyHtml\"", page);
        Assert.DoesNotContain("trix", page);
        Assert.Contains("Guests can read this task but not comment on it.", page);

        // Posting the form anyway (it is not on a guest's page) queues nothing.
        var answer = await WebForm.PostMultipartAsync(scene.Server, Tab(scene.TaskId), "compose",
            Fields(scene.Account.Id, to: "max@mail.test", subject: "From a guest", body: "<div>Hi</div>"), [], cookies);
        Assert.NotEqual(HttpStatusCode.Redirect, answer.Status);
        Assert.Empty(await scene.Mia.EmailsAsync(scene.TaskId));
        Assert.Empty(await scene.Server.Http.EmailsAsync(scene.TaskId));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Schedule_FromThePage_IsReadInTheMembersZone_HiddenFromOthers_EditedThenCancelled_AndNeverSent(Database database)
    {
        await using var scene = await OutboxSendTests.SceneAsync(fixture, database);
        using (var zone = await scene.Mia.PatchAsJsonAsync("/api/me/profile", new { timeZone = "Asia/Tokyo" }))
        {
            await Api.EnsureAsync(zone);
        }
        var (_, maxClient) = await scene.Server.Http.AddMemberAsync("Max Member", "max@acme.test", "Member");
        maxClient.Dispose();
        var mia = await SignInAsync(scene.Server, "mia@acme.test");
        var max = await SignInAsync(scene.Server, "max@acme.test");

        // Tomorrow 09:00 in Tokyo (UTC+9, no daylight saving): 00:00 UTC.
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var day = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, tokyo).Date.AddDays(1);
        var local = day.AddHours(9).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var answer = await WebForm.PostMultipartAsync(scene.Server, Tab(scene.TaskId), "compose",
            Fields(scene.Account.Id, to: "max@mail.test", subject: "Reminder", body: "<div>See you tomorrow.</div>", sendAt: local, action: "later"), [], mia);
        Assert.Equal(HttpStatusCode.Redirect, answer.Status);

        var email = Assert.Single(await scene.Mia.EmailsAsync(scene.TaskId));
        Assert.Equal("Scheduled", email.Status);
        Assert.Equal(new DateTimeOffset(day.AddHours(9), TimeSpan.FromHours(9)), email.SendAt);
        var page = await GetAsync(scene.Server, Tab(scene.TaskId), mia);
        Assert.Contains("In your time zone, Asia/Tokyo (UTC+09:00)", WebUtility.HtmlDecode(page));
        Assert.Contains($"Scheduled for <time datetime=\"{day.AddHours(0):yyyy-MM-dd}T00:00:00Z\"", page);
        Assert.Contains($"{day.AddHours(9).ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)}, 09:00 (Asia/Tokyo)</time>", page);
        Assert.Contains("Yes, cancel it", page);

        // Max, on the same task, sees neither the email nor its buttons.
        var maxPage = await GetAsync(scene.Server, Tab(scene.TaskId), max);
        Assert.DoesNotContain("Reminder", maxPage);
        Assert.DoesNotContain("Emails from this task", maxPage);

        // Mia changes its subject and time from the page: the same email, rescheduled.
        var later = day.AddHours(10).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var edited = await WebForm.PostMultipartAsync(scene.Server, Tab(scene.TaskId), $"edit-{email.Id}",
            Fields(scene.Account.Id, to: "max@mail.test", subject: "Reminder (moved)", body: "<div>See you tomorrow at ten.</div>", sendAt: later, action: "later"), [], mia);
        Assert.Equal(HttpStatusCode.Redirect, edited.Status);
        var changed = Assert.Single(await scene.Mia.EmailsAsync(scene.TaskId));
        Assert.Equal((email.Id, "Scheduled", "Reminder (moved)"), (changed.Id, changed.Status, changed.Subject));
        Assert.Equal(new DateTimeOffset(day.AddHours(10), TimeSpan.FromHours(9)), changed.SendAt);

        // A bad address in the edit form stays in that form, under its field.
        var refused = await WebForm.PostMultipartAsync(scene.Server, Tab(scene.TaskId), $"edit-{email.Id}",
            Fields(scene.Account.Id, to: "max@", subject: "Reminder (moved)", body: "<div>x</div>", sendAt: later, action: "later"), [], mia);
        Assert.Contains($"<span id=\"edit-{email.Id:N}-to-error\" class=\"validation-message\">&quot;max@&quot; is not an email address.</span>", refused.Html);
        Assert.Matches("<details class=\"outbox-edit\" open", refused.Html);

        var cancelled = await WebForm.PostAsync(scene.Server, Tab(scene.TaskId), $"cancel-{email.Id}", new Dictionary<string, string>(), mia);
        Assert.Equal(HttpStatusCode.Redirect, cancelled.Status);
        Assert.Equal("Cancelled", Assert.Single(await scene.Mia.EmailsAsync(scene.TaskId)).Status);
        var final = await GetAsync(scene.Server, Tab(scene.TaskId), mia);
        Assert.Contains(">Cancelled</span>", final);
        Assert.DoesNotContain("Yes, cancel it", final);
        Assert.Empty(await FindAsync(fixture.Mail, "max", OutboxMailFixture.MaxPassword, email.Id));
    }

    private static List<(string, string)> Fields(Guid accountId, string to, string subject, string body, string cc = "", string bcc = "", string sendAt = "", string action = "now") =>
        [("accountId", accountId.ToString()), ("to", to), ("cc", cc), ("bcc", bcc), ("subject", subject), ("bodyHtml", body), ("sendAt", sendAt), ("action", action)];

    private static int Count(string html, string text)
    {
        var count = 0;
        for (var at = html.IndexOf(text, StringComparison.Ordinal); at >= 0; at = html.IndexOf(text, at + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private static byte[] Read(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }

    private static Task<List<string>> SignInAsync(MailroomServer server, string email) => WebSignIn.CookiesAsync(server, email);

    private static Task<string> GetAsync(MailroomServer server, string path, IReadOnlyList<string> cookies) => WebForm.GetAsync(server, path, cookies);
}
