using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Billing;

public class BillingOptionsTests
{
    [Theory]
    [InlineData("Mailroom:Billing:Processor", "Stripe", "Mailroom:Billing:Processor is Stripe but Mailroom:Billing:Stripe:SecretKey is empty")]
    [InlineData("Mailroom:Billing:MaxSlotsPerPurchase", "0", "Mailroom:Billing:MaxSlotsPerPurchase is 0: it is 1 or more.")]
    public async Task BadBillingSettings_StopTheServerAtStart_NamingTheSetting(string key, string value, string message)
    {
        await using var server = new MailroomServer(Database.Sqlite, new Dictionary<string, string> { [key] = value });
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(server.StartAsync);
        Assert.Contains(message, failure.Message);
    }
}
