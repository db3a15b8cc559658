using System.Text;
using MailKit.Net.Smtp;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>The mail listener inside the running host: SMTP and LMTP conversations over real sockets.</summary>
public class ListenerTests
{
    [Fact]
    public async Task Rcpt_UnknownAddress_Replies550_AtRcptTime()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        await using var smtp = await RawSmtp.ConnectAsync(server.SmtpPort);
        Assert.StartsWith("250", await smtp.CommandAsync("MAIL FROM:<a@example.com>"));
        Assert.StartsWith("550 5.1.1", await smtp.CommandAsync($"RCPT TO:<nobody-aaaaaaaaaaaaaaaaaaaa@{server.MailDomain}>"));
        Assert.StartsWith("550 5.1.1", await smtp.CommandAsync("RCPT TO:<someone@elsewhere.example>"));
    }

    [Fact]
    public async Task Data_TooLarge_Replies552_AndStoresNothing()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite, new Dictionary<string, string> { ["Mailroom:Smtp:MaxMessageSize"] = "100000" });
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Small");
        var message = MailFactory.Simple(integration.Address, "Too big", new string('x', 200_000));
        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => Smtp.SendAsync(server.SmtpPort, message));
        Assert.Equal(552, (int)error.StatusCode);

        await using var smtp = await RawSmtp.ConnectAsync(server.SmtpPort);
        Assert.StartsWith("552 5.3.4", await smtp.CommandAsync("MAIL FROM:<a@example.com> SIZE=200000"));
        Assert.Empty(await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound"));
    }

    [Fact]
    public async Task Client_DisconnectingMidData_LeavesNothingBehind_AndOneThatGot250LosesNothing()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Partial");

        var dropped = await RawSmtp.ConnectAsync(server.SmtpPort);
        await dropped.CommandAsync("MAIL FROM:<a@example.com>");
        await dropped.CommandAsync($"RCPT TO:<{integration.Address}>");
        Assert.StartsWith("354", await dropped.CommandAsync("DATA"));
        await dropped.WriteLineAsync("Subject: half a message\r\n\r\nThis line arrives but the end never does.");
        dropped.Abort();

        await using var complete = await RawSmtp.ConnectAsync(server.SmtpPort);
        var reply = await complete.SendAsync("b@example.com", [integration.Address], Encoding.ASCII.GetBytes("From: b@example.com\r\nSubject: whole\r\n\r\nAll of it.\r\n"));
        Assert.StartsWith("250", reply);
        await server.Http.WaitUntilProcessedAsync();

        var log = await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound");
        var entry = Assert.Single(log);
        Assert.Equal("whole", entry.Subject);
        Assert.Equal("posted", entry.Status);
        Assert.Equal("whole", Assert.Single(await server.Http.FeedAsync(integration.GroupId)).Title);
    }

    [Fact]
    public async Task Pipelining_ManyCommandsInOneWrite_AllAnsweredInOrder()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var a = await server.Http.AddIntegrationAsync("A");
        await using var smtp = await RawSmtp.ConnectAsync(server.SmtpPort);
        var pipelined = $"MAIL FROM:<p@example.com>\r\nRCPT TO:<{a.Address}>\r\nRCPT TO:<unknown@{server.MailDomain}>\r\nDATA\r\n";
        var first = await smtp.CommandAsync(pipelined.TrimEnd('\r', '\n'));
        Assert.StartsWith("250", first);
        Assert.StartsWith("250", await smtp.ReadReplyAsync());
        Assert.StartsWith("550", await smtp.ReadReplyAsync());
        Assert.StartsWith("354", await smtp.ReadReplyAsync());
        Assert.StartsWith("250", await smtp.CommandAsync("From: p@example.com\r\nSubject: piped\r\n\r\n..dot-stuffed line\r\n."));
        await server.Http.WaitUntilProcessedAsync();
        var post = Assert.Single(await server.Http.FeedAsync(a.GroupId));
        Assert.Equal(".dot-stuffed line", post.Body.Trim());
    }

    [Fact]
    public async Task Lmtp_RepliesOncePerRecipient_AfterData()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite, new Dictionary<string, string> { ["Mailroom:Smtp:Mode"] = "lmtp" });
        await server.SetupAsync();
        var a = await server.Http.AddIntegrationAsync("First");
        var b = await server.Http.AddIntegrationAsync("Second");
        await using var lmtp = await RawSmtp.ConnectAsync(server.SmtpPort, "LHLO");
        Assert.StartsWith("250", await lmtp.CommandAsync("MAIL FROM:<postfix@example.com>"));
        Assert.StartsWith("250", await lmtp.CommandAsync($"RCPT TO:<{a.Address}>"));
        Assert.StartsWith("250", await lmtp.CommandAsync($"RCPT TO:<{b.Address}>"));
        Assert.StartsWith("354", await lmtp.CommandAsync("DATA"));
        Assert.StartsWith("250", await lmtp.CommandAsync("From: x@example.com\r\nSubject: to both\r\n\r\nHello both groups.\r\n."));
        Assert.StartsWith("250", await lmtp.ReadReplyAsync());
        await server.Http.WaitUntilProcessedAsync();
        Assert.Equal("to both", Assert.Single(await server.Http.FeedAsync(a.GroupId)).Title);
        Assert.Equal("to both", Assert.Single(await server.Http.FeedAsync(b.GroupId)).Title);
    }

    [Fact]
    public async Task AutoRepliesAndBounces_AreLoggedWithTheirReason_NotPosted_NewslettersArePosted()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Comms");
        await using var smtp = await RawSmtp.ConnectAsync(server.SmtpPort);
        Assert.StartsWith("250", await smtp.SendAsync("a@example.com", [integration.Address],
            Encoding.ASCII.GetBytes("From: a@example.com\r\nSubject: Out of office: back Monday\r\nAuto-Submitted: auto-replied\r\n\r\nI am away.\r\n")));
        Assert.StartsWith("250", await smtp.SendAsync("", [integration.Address],
            Encoding.ASCII.GetBytes("From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered Mail Returned to Sender\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nIt bounced.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: rfc822; x@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b--\r\n")));
        Assert.StartsWith("250", await smtp.SendAsync("news@list.example", [integration.Address],
            Encoding.ASCII.GetBytes("From: news@list.example\r\nSubject: Weekly digest\r\nPrecedence: bulk\r\nList-Id: <weekly.list.example>\r\nList-Unsubscribe: <mailto:u@list.example>\r\n\r\nThis week's news.\r\n")));
        await server.Http.WaitUntilProcessedAsync();

        var log = await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound");
        Assert.Equal(3, log.Count);
        var auto = log.Single(e => e.Subject!.StartsWith("Out of office", StringComparison.Ordinal));
        Assert.Equal(("ignored", "auto-reply"), (auto.Status, auto.Kind));
        Assert.False(string.IsNullOrWhiteSpace(auto.Outcome));
        var bounce = log.Single(e => e.Subject!.StartsWith("Undelivered", StringComparison.Ordinal));
        Assert.Equal(("ignored", "bounce"), (bounce.Status, bounce.Kind));
        var post = Assert.Single(await server.Http.FeedAsync(integration.GroupId));
        Assert.Equal("Weekly digest", post.Title);
    }

    [Fact]
    public async Task SameEmailDeliveredTwice_IsPostedOnce_AndTheSecondIsLoggedAsDuplicate()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Retries");
        var raw = Encoding.ASCII.GetBytes("From: r@example.com\r\nMessage-ID: <retry-1@example.com>\r\nSubject: once\r\n\r\nOnly once please.\r\n");
        await using var smtp = await RawSmtp.ConnectAsync(server.SmtpPort);
        Assert.StartsWith("250", await smtp.SendAsync("r@example.com", [integration.Address], raw));
        await server.Http.WaitUntilProcessedAsync();
        Assert.StartsWith("250", await smtp.SendAsync("r@example.com", [integration.Address], raw));
        await server.Http.WaitUntilProcessedAsync();

        Assert.Single(await server.Http.FeedAsync(integration.GroupId));
        var log = await server.Http.GetAsync<List<Api.InboundEntry>>("/api/inbound");
        Assert.Equal(["ignored", "posted"], log.Select(e => e.Status));
        Assert.Contains("same Message-ID", log[0].Outcome);
    }
}
