using System.Globalization;

namespace Mailroom.Billing;

/// <summary>
/// What N slots bought today cost until the next renewal: N × price × (days left / days in cycle),
/// rounded to the cent half away from zero. Days are whole UTC days from today to the renewal
/// day; the cycle is as long as that month or year really is (28 to 31 days, 365 or 366).
/// </summary>
public sealed record Proration(int Quantity, long UnitPriceCents, int DaysLeft, int DaysInCycle, long AmountCents, string Arithmetic)
{
    public static Proration For(int quantity, long unitPriceCents, BillingCycle cycle, DateOnly renewsOn, DateOnly today)
    {
        var starts = CycleStart(cycle, renewsOn);
        var daysInCycle = renewsOn.DayNumber - starts.DayNumber;
        // Bought on (or, with a late renewal, after) the renewal day: the renewal's own charge pays for it.
        var daysLeft = Math.Clamp(renewsOn.DayNumber - today.DayNumber, 0, daysInCycle);
        var amount = (long)Math.Round(quantity * unitPriceCents * (decimal)daysLeft / daysInCycle, 0, MidpointRounding.AwayFromZero);
        var arithmetic = $"{quantity} × {Money(unitPriceCents)} × {daysLeft}/{daysInCycle} days = {Money(amount)}";
        return new Proration(quantity, unitPriceCents, daysLeft, daysInCycle, amount, arithmetic);
    }

    /// <summary>The first day of the cycle that ends on <paramref name="renewsOn"/>.</summary>
    public static DateOnly CycleStart(BillingCycle cycle, DateOnly renewsOn) =>
        cycle == BillingCycle.Yearly ? renewsOn.AddYears(-1) : renewsOn.AddMonths(-1);

    /// <summary>The renewal after <paramref name="renewsOn"/>, back on <paramref name="anchorDay"/> when the month has it (31 Jan → 28 Feb → 31 Mar).</summary>
    public static DateOnly Next(BillingCycle cycle, DateOnly renewsOn, int anchorDay)
    {
        var next = cycle == BillingCycle.Yearly ? renewsOn.AddYears(1) : renewsOn.AddMonths(1);
        var day = Math.Min(Math.Max(anchorDay, 1), DateTime.DaysInMonth(next.Year, next.Month));
        return new DateOnly(next.Year, next.Month, day);
    }

    /// <summary>An amount in cents as a person reads it ("$24.00"); prices are in the catalog's currency.</summary>
    public static string Money(long cents) => (cents / 100m).ToString("$#,0.00", CultureInfo.InvariantCulture);
}
