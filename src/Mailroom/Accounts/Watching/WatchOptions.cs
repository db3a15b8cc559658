using System.ComponentModel.DataAnnotations;

namespace Mailroom.Accounts.Watching;

/// <summary>Options of the IMAP watchers, bound from <c>Mailroom:Accounts:Watch</c>.</summary>
public sealed class WatchOptions : IValidatableObject
{
    public const string SectionName = "Mailroom:Accounts:Watch";

    /// <summary>Off: this server watches no mailbox (another one on the same database may).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a watch lease holds without renewal: a dead holder's accounts are taken over after at most this (plus one <see cref="RenewInterval"/>).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>How often leases are renewed and free ones claimed (new accounts, a dead server's).</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// IDLE is ended and issued again after this long: RFC 2177 lets servers drop an IDLE after
    /// 30 minutes, and NAT boxes forget quiet connections sooner.
    /// </summary>
    public TimeSpan IdleRefresh { get; set; } = TimeSpan.FromMinutes(9);

    /// <summary>How long the server may take to answer the NOOP sent between IDLEs; no answer means a half-open connection, and the watcher reconnects.</summary>
    public TimeSpan WatchdogTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a server that does not offer IDLE is asked for new mail.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>When UIDVALIDITY changed (or on the first look), mail received this far back is looked at again, deduplicated by Message-ID.</summary>
    public TimeSpan ReseedWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Messages whose headers are fetched per round trip while catching up.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Logins refused in a row (each retried once with fresh credentials) before the account needs re-authentication.</summary>
    [Range(1, 100)]
    public int AuthFailureThreshold { get; set; } = 3;

    /// <summary>First wait before a failed connection is tried again; doubled on each failure up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryMin { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseDuration <= TimeSpan.Zero || RenewInterval <= TimeSpan.Zero || RenewInterval * 2 > LeaseDuration)
        {
            yield return new ValidationResult("RenewInterval must be positive and at most half of LeaseDuration.", [nameof(RenewInterval), nameof(LeaseDuration)]);
        }
        if (IdleRefresh <= TimeSpan.Zero || WatchdogTimeout <= TimeSpan.Zero || PollInterval <= TimeSpan.Zero || ReseedWindow <= TimeSpan.Zero)
        {
            yield return new ValidationResult("IdleRefresh, WatchdogTimeout, PollInterval and ReseedWindow must be positive.", [nameof(IdleRefresh)]);
        }
        if (RetryMin <= TimeSpan.Zero || RetryMax < RetryMin)
        {
            yield return new ValidationResult("RetryMin must be positive and RetryMax at least RetryMin.", [nameof(RetryMin), nameof(RetryMax)]);
        }
    }
}
