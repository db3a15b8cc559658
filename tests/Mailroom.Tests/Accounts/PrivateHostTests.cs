using System.Net;
using System.Net.Http.Json;
using Mailroom.Accounts;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Accounts;

/// <summary>A member cannot make the server probe its own network through a Custom account, unless the operator allows it.</summary>
public class PrivateHostTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task CustomHosts_OnLoopbackPrivateOrLinkLocal_AreRefused_ByDefault(Database database)
    {
        // Something listens here, so a refusal is the guard's and not a closed port's.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();

        foreach (var host in new[] { "127.0.0.1", "localhost", "10.1.2.3", "169.254.169.254", "[::1]" })
        {
            using var response = await server.Http.PostAsJsonAsync("/api/accounts", new
            {
                provider = "Custom", email = "probe@acme.test", password = "x",
                imapHost = host, imapPort = port, imapSecurity = "None",
                smtpHost = host, smtpPort = port, smtpSecurity = "None",
            });
            var problem = await Api.ProblemAsync(response);
            Assert.True(problem is { Status: 400, Code: "account_host_not_allowed" }, $"{host}: {problem}");
            Assert.Contains("not a public address", problem.Detail);
        }
        Assert.False(listener.Pending(), "The guard let a connection through.");
        Assert.Empty(await server.Http.GetAsync<List<AccountLinkingTests.Account>>("/api/accounts"));
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.0.0.5", false)]
    [InlineData("172.16.4.4", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("142.250.27.108", true)]
    [InlineData("2a00:1450:400c:c0b::6c", true)]
    public void IsPublic_TellsInternetAddressesFromInternalOnes(string address, bool expected) =>
        Assert.Equal(expected, HostGuard.IsPublic(IPAddress.Parse(address)));
}
