using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Mailroom.Inbound.Verification;

/// <summary>
/// The <c>verification</c> part of <c>mailroom inspect</c>. A saved file has no envelope, so the
/// connecting IP, MAIL FROM and HELO come from options; what they leave out is named, not guessed.
/// DNS is asked only when one of them (or <c>--verify</c>) is given, so inspecting stays offline by default.
/// </summary>
public static class InspectVerification
{
    public sealed record Arguments(bool Verify, string? ClientIp, string? MailFrom, string? Helo, string? DnsServer)
    {
        public bool Requested => Verify || ClientIp is not null || MailFrom is not null || Helo is not null || DnsServer is not null;
    }

    public sealed record Report(
        bool Checked, bool? FromAuthenticated, string? Dkim, IReadOnlyList<string> DkimDomains, string? Spf, string? Dmarc,
        string? DmarcPolicy, string? Arc, string? Summary, IReadOnlyList<string> NotChecked);

    public static Report Run(byte[] raw, Arguments arguments)
    {
        if (!arguments.Requested)
        {
            return new Report(false, null, null, [], null, null, null, null, null,
                ["DKIM, SPF and DMARC: DNS was not asked (give --verify, --client-ip, --mail-from or --helo)"]);
        }
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(new MemoryStream(raw, writable: false));
        }
        catch (FormatException e)
        {
            return new Report(false, false, null, [], null, null, null, null, null, [$"the message could not be read: {e.Message}"]);
        }
        var notChecked = new List<string>();
        IPAddress? client = null;
        if (arguments.ClientIp is null)
        {
            notChecked.Add("SPF: no --client-ip (the connecting address is not in the file)");
        }
        else if (!IPAddress.TryParse(arguments.ClientIp, out client))
        {
            notChecked.Add($"SPF: --client-ip \"{arguments.ClientIp}\" is not an IP address");
        }
        if (arguments.MailFrom is null && arguments.Helo is null)
        {
            notChecked.Add("SPF: no --mail-from or --helo (the envelope is not in the file); the null-sender rule was not applied either");
        }
        notChecked.Add("internal networks and trusted relays: they depend on the server's configuration");

        var options = new VerificationOptions { DnsServers = arguments.DnsServer is { } dns ? [dns] : [] };
        var wrapped = Options.Create(options);
        var verifier = new SenderVerifier(new CachingDnsResolver(wrapped, TimeProvider.System, NullLogger<CachingDnsResolver>.Instance), wrapped, NullLogger<SenderVerifier>.Instance);
        var envelope = new SenderEnvelope(client, arguments.MailFrom ?? "", arguments.Helo);
        var verdict = verifier.VerifyAsync(message, envelope, CancellationToken.None).GetAwaiter().GetResult();
        return new Report(true, verdict.FromAuthenticated, verdict.Dkim, verdict.DkimDomains, verdict.Spf, verdict.Dmarc,
            verdict.DmarcPolicy, verdict.Arc, verdict.Summary, notChecked);
    }
}
