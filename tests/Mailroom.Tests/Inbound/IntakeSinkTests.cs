using System.Net;
using Mailroom.Inbound;
using Mailroom.EmailApp;
using Mailroom.Integrations;
using Mailroom.Notifications;
using Mailroom.People;
using Mailroom.Smtp;
using Mailroom.Spaces;
using Mailroom.Storage;
using Mailroom.Tasks;
using Mailroom.Workspaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Tests.Inbound;

/// <summary>The RCPT check as the listener's event loop calls it, on a real SQLite database.</summary>
public sealed class IntakeSinkTests
{
    [Fact]
    public async Task CheckRecipient_ForAnAddressNotKnownInMemory_ReturnsAtOnce_AndLooksTheDatabaseUpOffTheCallersThread()
    {
        var data = Directory.CreateTempSubdirectory("mailroom-sink-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Mailroom:DataDirectory"] = data }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddSingleton(TimeProvider.System);
        services.AddStorage(configuration);
        services.AddPeople();
        services.AddWorkspaces();
        services.AddIntegrations();
        services.AddSpaces();
        services.AddTasks();
        services.AddEmailApp();
        services.AddNotifications();
        services.AddInbound();
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostApplicationLifetime, Mailroom.Tests.Infrastructure.TestLifetime>();
        await using var provider = services.BuildServiceProvider();
        await provider.MigrateDatabaseAsync();
        var sink = provider.GetRequiredService<ISmtpMessageSink>();
        var session = new SmtpSessionContext { ConnectionId = "probe", RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 1) };
        try
        {
            // On SQLite the lookup would run synchronously: had it run on the caller (the event loop),
            // the call would only return once it was done.
            var pending = sink.CheckRecipientAsync(session, "a@example.test", "nobody-here@mailroom.localhost", CancellationToken.None);
            Assert.False(pending.IsCompleted);
            var response = await pending;
            Assert.Equal((550, "5.1.1"), (response.Code, response.EnhancedCode));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
