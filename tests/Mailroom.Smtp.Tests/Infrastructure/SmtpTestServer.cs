using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mailroom.Smtp.Tests.Infrastructure;

/// <summary>A real Kestrel host on 127.0.0.1 with a free port, running only the mail endpoint.</summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SmtpTestServer(WebApplication app, RecordingSink sink)
    {
        _app = app;
        Sink = sink;
    }

    public RecordingSink Sink { get; }

    public int Port => _app.Services.GetRequiredService<SmtpListenerInfo>().LocalEndPoint!.Port;

    public SmtpConnectionHandler Handler => _app.Services.GetRequiredService<SmtpConnectionHandler>();

    public static async Task<SmtpTestServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mailroom:Smtp:Port"] = "0",
            ["Mailroom:Smtp:HostName"] = "mx.mailroom.test",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings.ToDictionary(s => $"Mailroom:Smtp:{s.Key}", s => s.Value));
        }

        var sink = new RecordingSink();
        builder.Services.AddSingleton<ISmtpMessageSink>(sink);
        builder.Services.AddMailroomSmtp();
        var app = builder.Build();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new SmtpTestServer(app, sink);
    }

    /// <summary>Waits until every session has ended, so assertions on the sink see the final state.</summary>
    public async Task WaitForIdleAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Handler.ActiveSessions > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "sessions did not end");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
