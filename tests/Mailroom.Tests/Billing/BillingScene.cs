using System.Net.Http.Json;
using Mailroom.Accounts;
using Mailroom.Billing;
using Mailroom.People;
using Mailroom.Permissions;
using Mailroom.Storage;
using Mailroom.Tests.Infrastructure;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Tests.Billing;

/// <summary>
/// A real server set up through its API (on SQLite or PostgreSQL), the workspace on a chosen
/// plan, and billing's services on the same database with a clock the test moves, charging
/// through the Stripe stand-in (or with no processor).
/// </summary>
internal sealed class BillingScene : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BillingScene(MailroomServer server, StripeStandIn? stripe, ServiceProvider services, SceneClock clock)
    {
        (Server, Stripe, _services, Clock) = (server, stripe, services, clock);
    }

    public MailroomServer Server { get; }
    public StripeStandIn? Stripe { get; }
    public SceneClock Clock { get; }

    public sealed class SceneClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }
        public override DateTimeOffset GetUtcNow() => Now;
    }

    public static async Task<BillingScene> StartAsync(Database database, string plan = "unlimited", bool stripe = true)
    {
        var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        await server.UsePlanAsync(plan);
        var standIn = stripe ? await StripeStandIn.StartAsync() : null;
        var settings = server.Settings.ToDictionary(k => k.Key, k => (string?)k.Value);
        foreach (var (key, value) in standIn?.Settings() ?? [])
        {
            settings[key] = value;
        }
        var configuration = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json").AddInMemoryCollection(settings).Build();
        var clock = new SceneClock { Now = DateTimeOffset.UtcNow };
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddSingleton<TimeProvider>(clock);
        services.AddStorage(configuration);
        services.AddWorkspaces();
        services.AddPermissions();
        services.AddBilling(configuration);
        return new BillingScene(server, standIn, services.BuildServiceProvider(), clock);
    }

    /// <summary>Runs <paramref name="work"/> in a scope of its own, as one request or one worker turn.</summary>
    public async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<T> BillingAsync<T>(Func<BillingService, Task<T>> work) => WithAsync(s => work(s.GetRequiredService<BillingService>()));

    public Task<T> DbAsync<T>(Func<MailroomDb, Task<T>> work) => WithAsync(s => work(s.GetRequiredService<MailroomDb>()));

    public Task<User> OwnerAsync() => DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Role == WorkspaceRole.Owner));

    public Task<LedgerLine?> RenewAsync() => WithAsync(s => s.GetRequiredService<BillingRenewals>().RenewIfDueAsync());

    /// <summary>Sets the cycle and, when given, the card on file (a Stripe payment method the stand-in knows).</summary>
    public async Task StartCycleAsync(BillingCycle cycle, string renewsOn, string? paymentMethod = "pm_visa")
    {
        await BillingAsync(b => b.StartCycleAsync(cycle, DateOnly.Parse(renewsOn)));
        if (paymentMethod is not null)
        {
            await SaveCardAsync(paymentMethod);
        }
    }

    public Task SaveCardAsync(string paymentMethod) =>
        BillingAsync(b => b.SavePaymentMethodAsync("cus_acme", paymentMethod, "visa", "4242", 12, 2030));

    public Task<SlotPurchase> BuyAsync(User actor, int quantity, string? key) => BillingAsync(b => b.BuySlotsAsync(actor, quantity, key));

    /// <summary>A mailbox row of the owner's (the linking itself is the Accounts room's; billing only needs its id).</summary>
    public Task<Guid> MailAccountAsync(string email) => DbAsync(async db =>
    {
        var owner = await db.Users.SingleAsync(u => u.Role == WorkspaceRole.Owner);
        var account = new MailAccount { UserId = owner.Id, Email = email, ImapHost = "127.0.0.1", SmtpHost = "127.0.0.1", Username = email, ProtectedSecret = "unused", CreatedAt = DateTimeOffset.UtcNow };
        db.MailAccounts.Add(account);
        await db.SaveChangesAsync();
        return account.Id;
    });

    public Task<List<AccountSlot>> SlotsAsync() => DbAsync(db => db.AccountSlots.AsNoTracking().OrderBy(s => s.PurchasedAt).ThenBy(s => s.Id).ToListAsync());

    public Task<List<LedgerLine>> LedgerAsync() => DbAsync(db => db.LedgerLines.AsNoTracking().OrderBy(l => l.At).ThenBy(l => l.Id).ToListAsync());

    public Task<BillingAccount> AccountAsync() => DbAsync(db => db.BillingAccounts.AsNoTracking().SingleAsync());

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (Stripe is not null)
        {
            await Stripe.DisposeAsync();
        }
        await Server.DisposeAsync();
    }
}
