using System.Net;
using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Billing;

/// <summary>/api/billing through the real server (no payment processor: slots recorded, not charged).</summary>
public class BillingApiTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record Line(Guid Id, string Kind, string Outcome, int Quantity, long AmountCents, string Arithmetic);
    private sealed record Purchase(Line Line, int Slots, bool Replayed);
    private sealed record Billing(string Cycle, DateOnly RenewsOn, bool ChargesMoney, long SlotPriceCents, bool MayBuySlots, int Slots, int FreeSlots, List<Line> Ledger);
    private sealed record Problem(string Code, string Detail, string? UnlockedBy);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task OwnerAndAdmin_BuySlotsWithAnIdempotencyKey_MembersAndGuestsAreRefused(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, admin) = await server.Http.AddMemberAsync("Ada Admin", "ada@acme.test", "Admin");
        var (_, member) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        var (_, guest) = await server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");
        using var _a = admin;
        using var _m = member;
        using var _g = guest;

        // On the free plan the refusal names the plan that unlocks slots.
        var locked = await ProblemAsync(await BuyAsync(server.Http, 1, "k-0"), HttpStatusCode.Forbidden);
        Assert.Equal(("plan_extra_slots_locked", "unlimited"), (locked.Code, locked.UnlockedBy));
        await server.UsePlanAsync("unlimited");

        var first = await ReadAsync<Purchase>(await BuyAsync(server.Http, 2, "k-1"));
        var retried = await ReadAsync<Purchase>(await BuyAsync(server.Http, 2, "k-1"));
        var byAdmin = await ReadAsync<Purchase>(await BuyAsync(admin, 1, "k-2"));
        Assert.Equal(("SlotPurchase", "Recorded", 2, 0L, 2), (first.Line.Kind, first.Line.Outcome, first.Line.Quantity, first.Line.AmountCents, first.Slots));
        Assert.EndsWith("not charged: this server has no payment processor", first.Line.Arithmetic);
        Assert.Equal((first.Line.Id, true), (retried.Line.Id, retried.Replayed));
        Assert.Equal(3, byAdmin.Slots);

        var billing = await server.Http.GetAsync<Billing>("/api/billing");
        Assert.Equal(("Monthly", false, 200L, true, 3, 3), (billing.Cycle, billing.ChargesMoney, billing.SlotPriceCents, billing.MayBuySlots, billing.Slots, billing.FreeSlots));
        Assert.Equal([byAdmin.Line.Id, first.Line.Id], billing.Ledger.Select(l => l.Id));
        Assert.True(billing.RenewsOn > DateOnly.FromDateTime(DateTime.UtcNow));

        foreach (var refused in new[] { member, guest })
        {
            Assert.Equal("billing_owner_or_admin_only", (await ProblemAsync(await refused.GetAsync("/api/billing"), HttpStatusCode.Forbidden)).Code);
            Assert.Equal("billing_owner_or_admin_only", (await ProblemAsync(await BuyAsync(refused, 1, "k-3"), HttpStatusCode.Forbidden)).Code);
        }
        Assert.Equal("billing_idempotency_key_missing", (await ProblemAsync(await BuyAsync(server.Http, 1, null), HttpStatusCode.BadRequest)).Code);
        Assert.Equal("billing_invalid_quantity", (await ProblemAsync(await BuyAsync(server.Http, 0, "k-4"), HttpStatusCode.BadRequest)).Code);
        Assert.Equal("billing_idempotency_key_reused", (await ProblemAsync(await BuyAsync(server.Http, 5, "k-1"), HttpStatusCode.Conflict)).Code);
        Assert.Equal(3, (await server.Http.GetAsync<Billing>("/api/billing")).Slots);
    }

    private static Task<HttpResponseMessage> BuyAsync(HttpClient http, int quantity, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/slots") { Content = JsonContent.Create(new { quantity }) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return http.SendAsync(request);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        using (response)
        {
            await Api.EnsureAsync(response);
            return (await response.Content.ReadFromJsonAsync<T>())!;
        }
    }

    private static async Task<Problem> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<Problem>())!;
        }
    }
}
