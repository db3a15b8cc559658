using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Accounts;

/// <summary>
/// Linking a mailbox with a password, against a real Dovecot: saved only when IMAP and SMTP
/// logins pass, the failing step named otherwise, the password never shown and never stored in clear.
/// </summary>
public class AccountLinkingTests(MailServerFixture fixture) : IClassFixture<MailServerFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    internal sealed record Account(Guid Id, Guid UserId, string LinkedBy, string Email, string? SendAsName, string Provider, string ImapHost, int ImapPort, string Username, string Health, string? LastErrorCode);
    private sealed record Preset(string Provider, string ImapHost, int ImapPort, string ImapSecurity, string SmtpHost, int SmtpPort, string SmtpSecurity, long AttachmentLimitBytes);
    private sealed record TestView(bool Ok, string? FailedStep, string? Reason, string? Code, string? Detail);
    private sealed record LinkProblem(int Status, string Code, string Detail, string Step, string Reason);

    internal static Task<MailroomServer> StartAsync(Database database) => MailroomServer.StartAsync(database, new Dictionary<string, string>
    {
        // Dovecot listens on 127.0.0.1, which the guard refuses by default.
        ["Mailroom:Accounts:AllowPrivateHosts"] = "true",
        // The connection test's own lines, so the test can check that no password is in them.
        ["Logging:LogLevel:Mailroom.Accounts"] = "Information",
    });

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Link_WithTheRightPassword_Is201_ListedWithoutSecret_AndStoredOnlyAsCiphertext(Database database)
    {
        await using var server = await StartAsync(database);
        await server.SetupAsync();
        var (mia, miaClient) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        using var _ = miaClient;
        var request = fixture.Custom("mia", MailServerFixture.MiaPassword, sendAsName: "Mia from Acme");

        // The presets a "Link an email" form offers, with the servers and limits the providers publish.
        var presets = await miaClient.GetAsync<List<Preset>>("/api/accounts/providers");
        Assert.Equal(["Gmail", "Outlook", "Yahoo", "ICloud", "Fastmail"], presets.Select(p => p.Provider));
        Assert.Equal(new Preset("Outlook", "outlook.office365.com", 993, "SslOnConnect", "smtp.office365.com", 587, "StartTls", 20L << 20), presets[1]);
        Assert.Equal(new Preset("Gmail", "imap.gmail.com", 993, "SslOnConnect", "smtp.gmail.com", 465, "SslOnConnect", 25L << 20), presets[0]);

        var test = await miaClient.PostAsync<TestView>("/api/accounts/test", request);
        Assert.True(test.Ok, test.Detail);
        Assert.Empty(await miaClient.GetAsync<List<Account>>("/api/accounts"));

        using var linked = await miaClient.PostAsJsonAsync("/api/accounts", request);
        var linkedBody = await linked.Content.ReadAsStringAsync();
        Assert.True(linked.StatusCode == HttpStatusCode.Created, linkedBody);
        var account = JsonSerializer.Deserialize<Account>(linkedBody, JsonSerializerOptions.Web)!;
        Assert.Equal($"/api/accounts/{account.Id}", linked.Headers.Location?.OriginalString);
        Assert.DoesNotContain(MailServerFixture.MiaPassword, linkedBody);

        using var listResponse = await miaClient.GetAsync("/api/accounts");
        var listBody = await listResponse.Content.ReadAsStringAsync();
        var listed = Assert.Single(JsonSerializer.Deserialize<List<Account>>(listBody, JsonSerializerOptions.Web)!);
        Assert.Equal((account.Id, mia.Id, "Mia Member", "mia@mail.test", "Mia from Acme", "Custom", "127.0.0.1", fixture.Mail.ImapPort, "mia@mail.test", "Active"),
            (listed.Id, listed.UserId, listed.LinkedBy, listed.Email, listed.SendAsName, listed.Provider, listed.ImapHost, listed.ImapPort, listed.Username, listed.Health));
        Assert.DoesNotContain(MailServerFixture.MiaPassword, listBody);
        Assert.DoesNotContain("secret", listBody, StringComparison.OrdinalIgnoreCase);

        // On disk: no column holds the password, and the one that stands for it opens only with the server's keys.
        var row = Assert.Single(await AccountRows.ReadAsync(server));
        Assert.All(row, column => Assert.DoesNotContain(MailServerFixture.MiaPassword, column.Value ?? ""));
        Assert.Equal(MailServerFixture.MiaPassword, AccountRows.Unprotect(server, row["ProtectedSecret"]!));

        // The same address twice is refused before anything connects.
        using var again = await miaClient.PostAsJsonAsync("/api/accounts", request);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("account_already_linked", (await Api.ProblemAsync(again)).Code);
        Assert.DoesNotContain(MailServerFixture.MiaPassword, server.Log);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Link_WithAWrongPasswordOrAClosedPort_NamesTheFailingStep_AndSavesNothing(Database database)
    {
        await using var server = await StartAsync(database);
        await server.SetupAsync();
        const string wrongPassword = "not-mias-password-7731";

        using var refused = await server.Http.PostAsJsonAsync("/api/accounts", fixture.Custom("mia", wrongPassword));
        var login = await ReadAsync(refused);
        Assert.Equal((422, "NEMAIL_002", "log in to IMAP", "AuthenticationRefused"), (login.Status, login.Code, login.Step, login.Reason));
        Assert.Contains("Remove and reconnect the account, then try again.", login.Detail);
        Assert.Contains("Could not log in to IMAP", login.Detail);

        var closedPort = FreePort.Next();
        using var unreachable = await server.Http.PostAsJsonAsync("/api/accounts", fixture.Custom("mia", MailServerFixture.MiaPassword, imapPort: closedPort));
        var connect = await ReadAsync(unreachable);
        Assert.Equal((422, "account_unreachable", "connect to IMAP", "Unreachable"), (connect.Status, connect.Code, connect.Step, connect.Reason));
        Assert.Contains($"127.0.0.1:{closedPort}", connect.Detail);
        Assert.Contains("refused", connect.Detail);

        // The road to SMTP is checked after IMAP's login passed.
        using (var smtpClosed = await server.Http.PostAsJsonAsync("/api/accounts", fixture.Custom("mia", MailServerFixture.MiaPassword, smtpPort: closedPort)))
        {
            var smtp = await ReadAsync(smtpClosed);
            Assert.Equal(("account_unreachable", "connect to SMTP", "Unreachable"), (smtp.Code, smtp.Step, smtp.Reason));
        }

        // TLS asked of a plain-text server is a TLS failure, not a wrong password.
        foreach (var security in new[] { "SslOnConnect", "StartTls" })
        {
            using var tls = await server.Http.PostAsJsonAsync("/api/accounts", fixture.Custom("mia", MailServerFixture.MiaPassword, imapSecurity: security));
            var problem = await ReadAsync(tls);
            Assert.Equal(("account_unreachable", "connect to IMAP", "TlsFailed"), (problem.Code, problem.Step, problem.Reason));
        }

        // "Test connection" says the same, as an answer rather than an error.
        var test = await server.Http.PostAsync<TestView>("/api/accounts/test", fixture.Custom("mia", wrongPassword));
        Assert.Equal((false, "log in to IMAP", "AuthenticationRefused", "NEMAIL_002"), (test.Ok, test.FailedStep, test.Reason, test.Code));

        Assert.Empty(await server.Http.GetAsync<List<Account>>("/api/accounts"));
        Assert.Empty(await AccountRows.ReadAsync(server));
        // The failures were logged, the password in none of the lines.
        Assert.Contains("failed at 'log in to IMAP'", server.Log);
        Assert.DoesNotContain(wrongPassword, server.Log);
        // One attempt per wrong password: a provider counting failures towards a lockout sees one, not one per mechanism.
        await WaitForAsync(() => fixture.Mail.DovecotLog.Contains("auth failed, 1 attempts"));
        Assert.DoesNotMatch(@"auth failed, [2-9] attempts", fixture.Mail.DovecotLog);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.True(condition());
    }

    private static async Task<LinkProblem> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<LinkProblem>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
    }
}
