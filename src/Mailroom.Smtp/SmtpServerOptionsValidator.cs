using System.Net;
using Mailroom.Smtp.Limits;
using Microsoft.Extensions.Options;

namespace Mailroom.Smtp;

/// <summary>
/// Refuses a configuration the listener could not honour, at start-up rather than at the
/// first connection (options are validated with <c>ValidateOnStart</c>).
/// </summary>
internal sealed class SmtpServerOptionsValidator : IValidateOptions<SmtpServerOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpServerOptions options)
    {
        var failures = new List<string>();

        if (options.Port is < 0 or > IPEndPoint.MaxPort)
        {
            failures.Add($"{SmtpServerOptions.SectionName}:Port must be between 0 and {IPEndPoint.MaxPort} (0 picks a free port).");
        }

        if (!string.Equals(options.Transport, "epoll", StringComparison.OrdinalIgnoreCase) && !string.Equals(options.Transport, "sockets", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{SmtpServerOptions.SectionName}:Transport must be 'epoll' or 'sockets', not '{options.Transport}'.");
        }

        if (!string.Equals(options.Mode, "smtp", StringComparison.OrdinalIgnoreCase) && !options.IsLmtp)
        {
            failures.Add($"{SmtpServerOptions.SectionName}:Mode must be 'smtp' or 'lmtp', not '{options.Mode}'.");
        }

        if (!IPAddress.TryParse(options.Address, out _))
        {
            failures.Add($"{SmtpServerOptions.SectionName}:Address must be an IP address, not '{options.Address}'.");
        }

        if (string.IsNullOrWhiteSpace(options.HostName) || options.HostName.Any(c => c <= ' ' || c > '~'))
        {
            failures.Add($"{SmtpServerOptions.SectionName}:HostName must be a non-empty ASCII host name without spaces.");
        }

        // A small body is held in one array; sizes are handed on as 32-bit counts.
        if (options.MaxMessageSize < 1 || options.MaxMessageSize > Array.MaxLength - 1)
        {
            failures.Add($"{SmtpServerOptions.SectionName}:MaxMessageSize must be between 1 and {Array.MaxLength - 1} bytes.");
        }

        // RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients; fewer is allowed
        // for a private listener, but zero would refuse every message.
        if (options.MaxRecipients < 1)
        {
            failures.Add($"{SmtpServerOptions.SectionName}:MaxRecipients must be at least 1.");
        }

        // RFC 5321 §4.5.3.1.4 and §4.5.3.1.6 minimums.
        if (options.MaxCommandLineLength < 512)
        {
            failures.Add($"{SmtpServerOptions.SectionName}:MaxCommandLineLength must be at least 512 (RFC 5321 §4.5.3.1.4).");
        }

        if (options.MaxDataLineLength < 1000)
        {
            failures.Add($"{SmtpServerOptions.SectionName}:MaxDataLineLength must be at least 1000 (RFC 5321 §4.5.3.1.6).");
        }

        if (options.IdleTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{SmtpServerOptions.SectionName}:IdleTimeout must be positive.");
        }

        if (options.MaxConcurrentSessions < 1)
        {
            failures.Add($"{SmtpServerOptions.SectionName}:MaxConcurrentSessions must be at least 1.");
        }

        if (options.MaxErrors < 1)
        {
            failures.Add($"{SmtpServerOptions.SectionName}:MaxErrors must be at least 1.");
        }

        if (options.SoftErrorLimit < 1 || options.ErrorDelay < TimeSpan.Zero)
        {
            failures.Add($"{SmtpServerOptions.SectionName}:SoftErrorLimit must be at least 1 and ErrorDelay must not be negative.");
        }

        if (options.SessionTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{SmtpServerOptions.SectionName}:SessionTimeout must be positive.");
        }

        if (options.MinDataRate < 0 || options.DataRateWindow <= TimeSpan.Zero)
        {
            failures.Add($"{SmtpServerOptions.SectionName}:MinDataRate must not be negative and DataRateWindow must be positive.");
        }

        if (options.MaxSessionsPerClient < 0 || options.MaxConnectionsPerMinute < 0 || options.MaxMessagesPerMinute < 0 || options.MaxRecipientsPerMinute < 0)
        {
            failures.Add($"{SmtpServerOptions.SectionName}: the per-client limits (MaxSessionsPerClient, MaxConnectionsPerMinute, MaxMessagesPerMinute, MaxRecipientsPerMinute) must not be negative (0 means no limit).");
        }

        if (!ClientNetworks.TryParse(options.LimitExemptNetworks, out _, out var badNetwork))
        {
            failures.Add($"{SmtpServerOptions.SectionName}:LimitExemptNetworks: '{badNetwork}' is not a network in CIDR notation (such as 127.0.0.0/8 or ::1/128).");
        }

        if (options.SpoolThreshold < 0 || options.MaxBufferedBytes < 0)
        {
            failures.Add($"{SmtpServerOptions.SectionName}:SpoolThreshold and MaxBufferedBytes must not be negative.");
        }

        if (!string.IsNullOrEmpty(options.CertificatePath) && !File.Exists(options.CertificatePath))
        {
            failures.Add($"{SmtpServerOptions.SectionName}:CertificatePath '{options.CertificatePath}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
