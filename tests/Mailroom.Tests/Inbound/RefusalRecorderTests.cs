using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Mailroom.EmailApp;
using Mailroom.Inbound;
using Mailroom.Integrations;
using Mailroom.Notifications;
using Mailroom.People;
using Mailroom.Smtp;
using Mailroom.Spaces;
using Mailroom.Storage;
using Mailroom.Tasks;
using Mailroom.Tests.Infrastructure;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mailroom.Tests.Inbound;

/// <summary>The refusal log's queue, as a flood of refused recipients fills it faster than it is written.</summary>
public sealed class RefusalRecorderTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AFullQueue_NeverHoldsTheSessionUp_DropsTheRest_AndSaysHowMany(Database database)
    {
        var data = Directory.CreateTempSubdirectory("mailroom-refusals-").FullName;
        var settings = new Dictionary<string, string?> { ["Mailroom:DataDirectory"] = data };
        if (database == Database.Postgres)
        {
            settings["Mailroom:Database:Provider"] = "postgres";
            settings["ConnectionStrings:Mailroom"] = Postgres.NewDatabase();
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new CapturedLogs();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging(b => b.AddProvider(logs)).AddSingleton(TimeProvider.System);
        services.AddStorage(configuration);
        services.AddPeople();
        services.AddWorkspaces();
        services.AddIntegrations();
        services.AddSpaces();
        services.AddTasks();
        services.AddEmailApp();
        services.AddNotifications();
        services.AddInbound();
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostApplicationLifetime, TestLifetime>();
        await using var provider = services.BuildServiceProvider();
        await provider.MigrateDatabaseAsync();
        var recorder = provider.GetRequiredService<RefusalRecorder>();
        var session = new SmtpSessionContext { ConnectionId = "flood", RemoteEndPoint = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 25) };
        try
        {
            // The writer is not running yet: the queue (10,000) fills and the rest must be dropped, never waited for.
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 12_000; i++)
            {
                recorder.Record(session, "flood@bad.example", "ghost@mailroom.localhost", RefusalReason.UnknownAddress, SmtpResponse.NoSuchUser);
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"Recording 12,000 refusals took {watch.Elapsed}.");

            await recorder.StartAsync(CancellationToken.None);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            RcptRefusal[] rows;
            do
            {
                await Task.Delay(100);
                await using var scope = provider.CreateAsyncScope();
                rows = await scope.ServiceProvider.GetRequiredService<MailroomDb>().RcptRefusals.AsNoTracking().ToArrayAsync();
            }
            while ((rows.Length != 1 || rows[0].Count < 10_000) && DateTime.UtcNow < deadline);
            await recorder.StopAsync(CancellationToken.None);

            // What was queued is one row with its count; what was not is in the log, summed.
            var row = Assert.Single(rows);
            Assert.Equal(10_000, row.Count);
            Assert.Equal("192.0.2.7", row.RemoteAddress);
            Assert.Contains(logs.Messages, m => m.Contains("2000 refusals at RCPT were not recorded"));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Messages);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    messages.Enqueue(formatter(state, exception));
                }
            }
        }
    }
}
