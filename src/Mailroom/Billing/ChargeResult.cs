namespace Mailroom.Billing;

/// <summary>A charge taken (<see cref="ChargeId"/>), or declined with the processor's code and sentence (e.g. insufficient_funds).</summary>
public sealed record ChargeResult(bool Succeeded, string? ChargeId, string? DeclineCode, string? DeclineMessage)
{
    public static ChargeResult Charged(string chargeId) => new(true, chargeId, null, null);
    public static ChargeResult Declined(string code, string message) => new(false, null, code, message);
}
