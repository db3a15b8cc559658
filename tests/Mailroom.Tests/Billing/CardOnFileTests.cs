using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Billing;

/// <summary>
/// A card goes on file through the processor's hosted page (the Stripe stand-in's Checkout in
/// setup mode), through the real server: Mailroom keeps brand, last four digits, expiry and the
/// payment method's id, never a number; a card declined on the page is not kept; replaced and removed.
/// </summary>
public class CardOnFileTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record Setup(string SessionId, string Url);
    private sealed record Card(string Brand, string Last4, int ExpiryMonth, int ExpiryYear);
    private sealed record Billing(Card? Card, bool ChargesMoney);

    /// <summary>What the browser does on the hosted page: picks a test card and submits; the page redirects back (or answers again with an error).</summary>
    private static async Task<HttpResponseMessage> SubmitHostedPageAsync(string url, string card, string expiry = "09/31")
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync(url);
        Assert.Contains("Save a card", page);
        return await browser.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["card"] = card, ["exp"] = expiry }));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task OwnerPutsACardOnFileThroughTheHostedPage_ReplacesIt_AndRemovesIt(Database database)
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var server = await MailroomServer.StartAsync(database, stripe.Settings());
        await server.SetupAsync();
        await server.UsePlanAsync("unlimited");

        var setup = await server.Http.PostAsync<Setup>("/api/billing/card/setup", new { });
        Assert.StartsWith($"{stripe.BaseUrl}/pay/cs_test_", setup.Url);
        using var back = await SubmitHostedPageAsync(setup.Url, "4242424242424242");

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal($"{server.Http.BaseAddress}admin/billing/card/return?session_id={setup.SessionId}", back.Headers.Location!.ToString());
        var card = await server.Http.PostAsync<Card>("/api/billing/card", new { sessionId = setup.SessionId });
        Assert.Equal(new Card("visa", "4242", 9, 2031), card);
        Assert.Equal(card, (await server.Http.GetAsync<Billing>("/api/billing")).Card);
        var saved = Assert.Single(stripe.PaymentMethods.Values);
        var session = stripe.Sessions[setup.SessionId];
        Assert.Equal(saved.Customer, session.Customer);

        // The card on file is charged: one slot, bought at once.
        using (var bought = await BuyAsync(server.Http, "slot-1"))
        {
            await Api.EnsureAsync(bought);
        }
        var charge = Assert.Single(stripe.Charges);
        Assert.Equal((saved.Id, saved.Customer), (charge.PaymentMethod, (string?)charge.Customer));

        // A card declined on the hosted page is not kept: the page says so, the session stays open.
        var declined = await server.Http.PostAsync<Setup>("/api/billing/card/setup", new { });
        using (var refused = await SubmitHostedPageAsync(declined.Url, "4000000000000002"))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("Your card was declined", await refused.Content.ReadAsStringAsync());
        }
        using (var incomplete = await server.Http.PostAsJsonAsync("/api/billing/card", new { sessionId = declined.SessionId }))
        {
            Assert.Equal(HttpStatusCode.Conflict, incomplete.StatusCode);
            Assert.Equal("billing_card_setup_incomplete", (await Api.ProblemAsync(incomplete)).Code);
        }
        Assert.Equal("4242", (await server.Http.GetAsync<Billing>("/api/billing")).Card!.Last4);

        // Replaced by a Mastercard: the Visa is detached at Stripe and no longer Mailroom's.
        var replace = await server.Http.PostAsync<Setup>("/api/billing/card/setup", new { });
        using (var _ = await SubmitHostedPageAsync(replace.Url, "5555555555554444", "03/29"))
        {
        }
        Assert.Equal(new Card("mastercard", "4444", 3, 2029), await server.Http.PostAsync<Card>("/api/billing/card", new { sessionId = replace.SessionId }));
        Assert.True(stripe.PaymentMethods[saved.Id].Detached);
        Assert.Equal(session.Customer, stripe.Sessions[replace.SessionId].Customer); // one customer at Stripe for the workspace

        using (var removed = await server.Http.DeleteAsync("/api/billing/card"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }
        Assert.Null((await server.Http.GetAsync<Billing>("/api/billing")).Card);
        using (var noCard = await BuyAsync(server.Http, "slot-2"))
        {
            Assert.Equal("billing_no_card", (await Api.ProblemAsync(noCard)).Code);
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task MembersCannotPutACardOnFile_AndWithoutAProcessorNoCardIsNeeded(Database database)
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using (var server = await MailroomServer.StartAsync(database, stripe.Settings()))
        {
            await server.SetupAsync();
            var (_, member) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
            using var _ = member;
            using var refused = await member.PostAsJsonAsync("/api/billing/card/setup", new { });
            Assert.Equal((HttpStatusCode.Forbidden, "billing_owner_or_admin_only"), (refused.StatusCode, (await Api.ProblemAsync(refused)).Code));
            Assert.Empty(stripe.Sessions);
        }

        await using var ledgerOnly = await MailroomServer.StartAsync(database);
        await ledgerOnly.SetupAsync();
        using var none = await ledgerOnly.Http.PostAsJsonAsync("/api/billing/card/setup", new { });
        Assert.Equal((HttpStatusCode.Conflict, "billing_no_processor"), (none.StatusCode, (await Api.ProblemAsync(none)).Code));
        Assert.False((await ledgerOnly.Http.GetAsync<Billing>("/api/billing")).ChargesMoney);
    }

    private static Task<HttpResponseMessage> BuyAsync(HttpClient http, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/slots") { Content = JsonContent.Create(new { quantity = 1 }) };
        request.Headers.Add("Idempotency-Key", key);
        return http.SendAsync(request);
    }
}
