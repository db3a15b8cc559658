using Mailroom.Billing;

namespace Mailroom.Tests.Billing;

/// <summary>Slots bought during a cycle cost N × price × days left / days in cycle, to the cent; each amount here was computed by hand.</summary>
public class ProrationTests
{
    [Theory]
    // Yearly, 2024 a leap year: the cycle 1 Jan 2024 → 1 Jan 2025 has 366 days.
    [InlineData(1, 2400, "2025-01-01", "2024-02-29", 307, 366, 2013, "1 × $24.00 × 307/366 days = $20.13")] // 736800/366 = 2013.11
    [InlineData(1, 2400, "2025-01-01", "2024-01-01", 366, 366, 2400, "1 × $24.00 × 366/366 days = $24.00")] // bought the day the cycle starts: the whole price
    [InlineData(2, 2400, "2025-01-01", "2024-12-31", 1, 366, 13, "2 × $24.00 × 1/366 days = $0.13")] // 4800/366 = 13.11
    // A yearly cycle crossing 29 Feb (15 Jun 2023 → 15 Jun 2024, 366 days), bought on the 29th: 1 + 31 + 30 + 31 + 14 days left.
    [InlineData(3, 2400, "2024-06-15", "2024-02-29", 107, 366, 2105, "3 × $24.00 × 107/366 days = $21.05")] // 770400/366 = 2104.92
    // Yearly, no leap day: 1 Mar 2025 → 1 Mar 2026 has 365 days; from 1 Sep: 30 + 31 + 30 + 31 + 31 + 28.
    [InlineData(1, 2400, "2026-03-01", "2025-09-01", 181, 365, 1190, "1 × $24.00 × 181/365 days = $11.90")] // 434400/365 = 1190.14
    // Monthly: February 2024 has 29 days.
    [InlineData(1, 200, "2024-03-01", "2024-02-29", 1, 29, 7, "1 × $2.00 × 1/29 days = $0.07")] // 200/29 = 6.90
    [InlineData(1, 200, "2024-03-01", "2024-02-15", 15, 29, 103, "1 × $2.00 × 15/29 days = $1.03")] // 3000/29 = 103.45
    // February 2025 has 28.
    [InlineData(1, 200, "2025-03-01", "2025-02-15", 14, 28, 100, "1 × $2.00 × 14/28 days = $1.00")]
    // July has 31.
    [InlineData(5, 200, "2024-08-01", "2024-07-10", 22, 31, 710, "5 × $2.00 × 22/31 days = $7.10")] // 22000/31 = 709.68
    // Exactly half a cent rounds away from zero (banker's rounding would give 2): 5 × 14/28 = 2.5.
    [InlineData(1, 5, "2025-03-01", "2025-02-15", 14, 28, 3, "1 × $0.05 × 14/28 days = $0.03")]
    public void Bought_OnADate_CostsTheHandComputedAmount(int quantity, long price, string renewsOn, string today, int daysLeft, int daysInCycle, long cents, string arithmetic)
    {
        var cycle = price >= 2400 ? BillingCycle.Yearly : BillingCycle.Monthly;
        var proration = Proration.For(quantity, price, cycle, DateOnly.Parse(renewsOn), DateOnly.Parse(today));

        Assert.Equal((daysLeft, daysInCycle, cents), (proration.DaysLeft, proration.DaysInCycle, proration.AmountCents));
        Assert.Equal(arithmetic, proration.Arithmetic);
    }

    [Theory]
    [InlineData(BillingCycle.Monthly, "2025-01-31", 31, "2025-02-28")]
    [InlineData(BillingCycle.Monthly, "2025-02-28", 31, "2025-03-31")] // back on the 31st after February
    [InlineData(BillingCycle.Monthly, "2024-01-31", 31, "2024-02-29")]
    [InlineData(BillingCycle.Yearly, "2024-02-29", 29, "2025-02-28")]
    [InlineData(BillingCycle.Yearly, "2027-02-28", 29, "2028-02-29")]
    public void NextRenewal_KeepsTheCycleDay(BillingCycle cycle, string renewsOn, int anchorDay, string next) =>
        Assert.Equal(DateOnly.Parse(next), Proration.Next(cycle, DateOnly.Parse(renewsOn), anchorDay));
}
