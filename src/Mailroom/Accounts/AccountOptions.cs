using System.ComponentModel.DataAnnotations;

namespace Mailroom.Accounts;

/// <summary>Options of connected mailboxes, bound from <c>Mailroom:Accounts</c>.</summary>
public sealed class AccountOptions : IValidatableObject
{
    public const string SectionName = "Mailroom:Accounts";

    /// <summary>
    /// Off (the default), a Custom account's hosts may not resolve to loopback, private,
    /// link-local or other non-public addresses, so a member cannot make the server probe the
    /// network it runs in. On for an installation whose mail server is on its own network.
    /// </summary>
    public bool AllowPrivateHosts { get; set; }

    /// <summary>Longest each step of a connection (connect, TLS, greeting, login) may take.</summary>
    public TimeSpan ConnectionTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ConnectionTimeout <= TimeSpan.Zero || ConnectionTimeout > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("ConnectionTimeout must be positive and at most 5 minutes.", [nameof(ConnectionTimeout)]);
        }
    }
}
