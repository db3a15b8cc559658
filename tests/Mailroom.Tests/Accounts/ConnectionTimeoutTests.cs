using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Accounts;

/// <summary>A mail server that takes the connection and never speaks is given up on after the configured time, and said to be a time-out.</summary>
public class ConnectionTimeoutTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ASilentServer_IsATimeOutAtItsStep_AfterTheConfiguredTime(Database database)
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var server = await MailroomServer.StartAsync(database, new Dictionary<string, string>
        {
            ["Mailroom:Accounts:AllowPrivateHosts"] = "true",
            ["Mailroom:Accounts:ConnectionTimeout"] = "00:00:02",
        });
        await server.SetupAsync();

        var started = DateTime.UtcNow;
        using var response = await server.Http.PostAsJsonAsync("/api/accounts", new
        {
            provider = "Custom", email = "me@acme.test", password = "whatever",
            imapHost = "127.0.0.1", imapPort = port, imapSecurity = "None",
            smtpHost = "127.0.0.1", smtpPort = port, smtpSecurity = "None",
        });
        var elapsed = DateTime.UtcNow - started;

        var problem = await Api.ProblemAsync(response);
        Assert.Equal((422, "account_unreachable"), (problem.Status, problem.Code));
        Assert.Contains("Could not connect to IMAP", problem.Detail);
        Assert.Contains("did not answer within 2 s", problem.Detail);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(10));
        Assert.Empty(await server.Http.GetAsync<List<AccountLinkingTests.Account>>("/api/accounts"));
    }

    [Fact]
    public async Task AZeroConnectionTimeout_StopsTheServerAtStart_NamingTheSetting()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => MailroomServer.StartAsync(Database.Sqlite, new Dictionary<string, string>
        {
            ["Mailroom:Accounts:ConnectionTimeout"] = "00:00:00",
        }));
        Assert.Contains("ConnectionTimeout must be positive", failure.Message);
    }
}
