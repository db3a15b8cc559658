using System.Net.Http.Json;
using MailKit.Net.Smtp;
using Mailroom.Tests.Infrastructure;
using MimeKit;

namespace Mailroom.Tests.EndToEnd;

/// <summary>B20 end to end: email to a list's address makes a task, to a task's address a comment.</summary>
public class TasksByEmailTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task EmailToListAddress_BecomesATask_WithNameDescriptionAttachmentAndSender(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();
        Assert.NotNull(list.Address);

        var file = MailFactory.Random(50_000, 7);
        var message = MailFactory.Simple(list.Address, "Printer on floor 2 is jammed", "It has been jammed since Monday.\nPlease send someone.", from: "dana@customer.example", fromName: "Dana Customer");
        var body = new BodyBuilder { TextBody = "It has been jammed since Monday.\nPlease send someone." };
        body.Attachments.Add("photo.jpg", file, new ContentType("image", "jpeg"));
        message.Body = body.ToMessageBody();
        await Smtp.SendAsync(server.SmtpPort, message);
        await server.Http.WaitUntilProcessedAsync();

        var task = Assert.Single(await server.Http.TasksAsync(list.Id));
        Assert.Equal("Printer on floor 2 is jammed", task.Name);
        Assert.Contains("It has been jammed since Monday.", task.Description);
        Assert.Equal("To do", task.Status);
        Assert.True(task.FromEmail, "a task made from email carries the mail icon flag");
        Assert.Null(task.CreatedByUserId);
        Assert.Equal("dana@customer.example", task.CreatedBy);
        Assert.Equal("Dana Customer", task.CreatorName);
        var attachment = Assert.Single(task.Attachments);
        Assert.Equal("photo.jpg", attachment.FileName);
        Assert.Equal(file, await server.Http.GetByteArrayAsync(attachment.DownloadUrl));
        Assert.NotNull(task.Address);
        Assert.NotEqual(list.Address, task.Address);

        var activity = await server.Http.ActivityAsync(task.Id);
        Assert.Equal("Created", activity[0].Kind);
        Assert.Equal("dana@customer.example", activity[0].Actor);

        // From a member's own address, the task is theirs.
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(list.Address, "Order more toner", from: "owner@acme.test", fromName: "Olivia Owner"));
        await server.Http.WaitUntilProcessedAsync();
        var mine = (await server.Http.TasksAsync(list.Id)).Single(t => t.Name == "Order more toner");
        Assert.NotNull(mine.CreatedByUserId);
        Assert.NotEqual("owner@acme.test", mine.CreatedBy);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task EmailToTaskAddress_BecomesAComment_AndTheSameEmailTwiceMakesOne(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();
        var task = await server.Http.CreateTaskAsync(list.Id, "Renew the lease");

        var message = MailFactory.Simple(task.Address!, "Re: lease", "The landlord agreed to 3 more years.", from: "agent@realty.example", fromName: "Rita Realty");
        var body = new BodyBuilder { TextBody = "The landlord agreed to 3 more years." };
        body.Attachments.Add("lease.pdf", MailFactory.Random(2_000, 3), new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        await Smtp.SendAsync(server.SmtpPort, message);
        await Smtp.SendAsync(server.SmtpPort, message);
        await server.Http.WaitUntilProcessedAsync();

        var comment = Assert.Single(await server.Http.CommentsAsync(task.Id));
        Assert.Contains("The landlord agreed to 3 more years.", comment.Body);
        Assert.True(comment.FromEmail);
        Assert.Equal("agent@realty.example", comment.Author);
        Assert.Equal("lease.pdf", Assert.Single(comment.Attachments).FileName);

        var log = await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=10");
        Assert.Equal(2, log.Count);
        Assert.Contains(log, e => e.Status == "ignored" && e.Outcome!.Contains("already a comment"));

        var activity = await server.Http.ActivityAsync(task.Id);
        Assert.Equal("Created", activity[0].Kind);
        var emailed = Assert.Single(activity, a => a.Kind == "Email");
        Assert.Equal(comment.Id, emailed.Comment!.Id);
        Assert.True(activity.Select(a => a.CreatedAt).SequenceEqual(activity.Select(a => a.CreatedAt).Order()), "newest last");
    }

    [Fact]
    public async Task EmailReplyToTaskAddress_ShowsTheReplyText_WithQuotedHistoryAndSignatureFolded()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();
        var task = await server.Http.CreateTaskAsync(list.Id, "Pick a venue");

        var text = "Let's book the harbour hall.\n\n-- \nRita Realty\nSenior agent\n\nOn Mon, 23 Nov 2026 at 10:00, Olivia Owner <owner@acme.test> wrote:\n> Which venue do you prefer?\n> The harbour hall or the old mill?\n";
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(task.Address!, "Re: Pick a venue", text, from: "agent@realty.example"));
        await server.Http.WaitUntilProcessedAsync();

        var comment = Assert.Single(await server.Http.CommentsAsync(task.Id));
        Assert.Equal("Let's book the harbour hall.", comment.Body.Trim());
        Assert.Contains("Which venue do you prefer?", comment.Quoted);
        Assert.Contains("Senior agent", comment.Quoted);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task GuestSender_IsRefusedWithAClearSmtpError_AndNothingIsCreated(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();
        var task = await server.Http.CreateTaskAsync(list.Id, "Quarterly review");
        (await server.Http.AddMemberAsync("Gus Guest", "gus@guest.example", "Guest")).Client.Dispose();

        foreach (var address in new[] { list.Address!, task.Address! })
        {
            var refused = await Assert.ThrowsAsync<SmtpCommandException>(() =>
                Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(address, "From a guest", from: "gus@guest.example")));
            Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
            Assert.Contains("Guests cannot use the Email app", refused.Message);
        }

        // A guest's From header behind someone else's envelope sender is accepted, then ignored with the reason.
        var disguised = MailFactory.Simple(task.Address!, "Sneaky", from: "gus@guest.example");
        disguised.Sender = new MailboxAddress("Relay", "relay@outside.example");
        await Smtp.SendAsync(server.SmtpPort, disguised);
        await server.Http.WaitUntilProcessedAsync();

        Assert.Empty(await server.Http.CommentsAsync(task.Id));
        Assert.Equal(["Quarterly review"], (await server.Http.TasksAsync(list.Id)).Select(t => t.Name));
        var entry = Assert.Single(await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=10"));
        Assert.Equal("ignored", entry.Status);
        Assert.Contains("Guests cannot use the Email app", entry.Outcome);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task EmailAppNotEnabledForTheSpace_Refuses550WithASentenceSayingSo(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var enabledSpace = await server.Http.CreateSpaceAsync("Sales");
        var otherSpace = await server.Http.CreateSpaceAsync("Legal");
        var enabledList = await server.Http.CreateListAsync(enabledSpace.Id, "Leads");
        var otherList = await server.Http.CreateListAsync(otherSpace.Id, "Contracts");

        // Off by default: nothing reaches any list.
        var off = await Assert.ThrowsAsync<SmtpCommandException>(() => Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(enabledList.Address!, "Too early")));
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, off.StatusCode);
        Assert.Contains("The Email app is not enabled for this space", off.Message);

        await server.Http.SetEmailAppAsync(true, onlySpaces: [enabledSpace.Id]);
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(otherList.Address!, "Contract draft")));
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
        Assert.Contains("The Email app is not enabled for this space", refused.Message);

        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(enabledList.Address!, "New lead"));
        await server.Http.WaitUntilProcessedAsync();
        Assert.Equal("New lead", Assert.Single(await server.Http.TasksAsync(enabledList.Id)).Name);
        Assert.Empty(await server.Http.TasksAsync(otherList.Id));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ThreadedMode_AReplyLandsUnderTheEmailItAnswers_EvenWithAChangedSubject(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync("threaded");
        var task = await server.Http.CreateTaskAsync(list.Id, "Vendor onboarding");
        var (first, reply, unrelated) = Conversation(task.Address!);

        await Smtp.SendAsync(server.SmtpPort, first);
        await server.Http.WaitUntilProcessedAsync();
        await Smtp.SendAsync(server.SmtpPort, reply);
        await Smtp.SendAsync(server.SmtpPort, unrelated);
        await server.Http.WaitUntilProcessedAsync();

        var comments = await server.Http.CommentsAsync(task.Id);
        Assert.Equal(2, comments.Count);
        var thread = comments.Single(c => c.Body.Contains("Here are our forms."));
        var threaded = Assert.Single(thread.Replies);
        Assert.Contains("Forms attached, signed.", threaded.Body);
        Assert.Equal(thread.Id, threaded.ParentCommentId);
        Assert.Empty(comments.Single(c => c.Body.Contains("Unrelated note.")).Replies);
        Assert.Contains(await server.Http.ActivityAsync(task.Id), a => a.Kind == "Reply");
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task NewCommentMode_AReplyBecomesANewTopLevelComment(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync("newComment");
        var task = await server.Http.CreateTaskAsync(list.Id, "Vendor onboarding");
        var (first, reply, _) = Conversation(task.Address!);

        await Smtp.SendAsync(server.SmtpPort, first);
        await server.Http.WaitUntilProcessedAsync();
        await Smtp.SendAsync(server.SmtpPort, reply);
        await server.Http.WaitUntilProcessedAsync();

        var comments = await server.Http.CommentsAsync(task.Id);
        Assert.Equal(2, comments.Count);
        Assert.All(comments, c => Assert.Empty(c.Replies));
        Assert.All(comments, c => Assert.Null(c.ParentCommentId));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AutoRepliesAndRedeliveries_NeverMakeExtraTasksOrComments(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();
        var task = await server.Http.CreateTaskAsync(list.Id, "Annual audit");

        var request = MailFactory.Simple(list.Address!, "Broken badge reader", "Door 3 does not open.");
        await Smtp.SendAsync(server.SmtpPort, request);
        await Smtp.SendAsync(server.SmtpPort, request);
        foreach (var address in new[] { list.Address!, task.Address! })
        {
            var outOfOffice = MailFactory.Simple(address, "Out of office", "I am away until Monday.", from: "away@partner.example");
            outOfOffice.Headers.Add("Auto-Submitted", "auto-replied");
            await Smtp.SendAsync(server.SmtpPort, outOfOffice);
        }
        await server.Http.WaitUntilProcessedAsync();

        var tasks = await server.Http.TasksAsync(list.Id);
        Assert.Equal(["Annual audit", "Broken badge reader"], tasks.Select(t => t.Name).Order());
        Assert.Empty(await server.Http.CommentsAsync(task.Id));
        var log = await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound?take=10");
        Assert.Equal(4, log.Count);
        Assert.Equal(3, log.Count(e => e.Status == "ignored"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Followers_GetANotification_WhenAnEmailAddsAComment(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();
        var (_, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = miaClient;
        var task = await miaClient.CreateTaskAsync(list.Id, "Office move");

        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(task.Address!, "Movers", "The movers come on Friday.", from: "movers@vans.example", fromName: "Van Movers"));
        await server.Http.WaitUntilProcessedAsync();

        Assert.Equal(1, (await miaClient.GetAsync<Count>("/api/notifications/unread-count")).Value);
        var note = Assert.Single(await miaClient.GetAsync<List<NotificationBody>>("/api/notifications"));
        Assert.Equal(task.Id, note.TaskId);
        Assert.Contains("Van Movers", note.Text);
        Assert.Contains("Office move", note.Text);
        // The owner does not follow the task: nothing for them.
        Assert.Equal(0, (await server.Http.GetAsync<Count>("/api/notifications/unread-count")).Value);

        using (var read = await miaClient.PostAsync($"/api/notifications/{note.Id}/read", null))
        {
            await Api.EnsureAsync(read);
        }
        Assert.Equal(0, (await miaClient.GetAsync<Count>("/api/notifications/unread-count")).Value);
    }

    private sealed record Count([property: System.Text.Json.Serialization.JsonPropertyName("count")] int Value);
    private sealed record NotificationBody(Guid Id, Guid TaskId, Guid? CommentId, string Text, bool Read);

    /// <summary>A first email, a reply to it whose subject changed, and an email that answers nothing.</summary>
    private static (MimeMessage First, MimeMessage Reply, MimeMessage Unrelated) Conversation(string taskAddress)
    {
        var first = MailFactory.Simple(taskAddress, "Onboarding forms", "Here are our forms.", from: "vendor@supplier.example");
        var reply = MailFactory.Simple(taskAddress, "signed!", "Forms attached, signed.", from: "buyer@partner.example");
        reply.InReplyTo = first.MessageId;
        reply.References.Add(first.MessageId!);
        var unrelated = MailFactory.Simple(taskAddress, "Onboarding forms", "Unrelated note.", from: "buyer@partner.example");
        return (first, reply, unrelated);
    }
}
