using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Mailroom.Inbound.Verification;
using Mailroom.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Mailroom.Tests.Verification;

/// <summary>
/// The verifier against a real DNS server on loopback: SPF says 127.0.0.2 is acme.test's host
/// (127.0.0.1 is "another host"), DKIM signatures are real, DMARC records decide alignment.
/// </summary>
public sealed class SenderVerifierTests : IAsyncLifetime
{
    private static readonly IPAddress LegitimateHost = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress OtherHost = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Relay = IPAddress.Parse("127.0.0.3");

    private readonly TestDns _dns = new();
    private readonly TestDkim _acme = new("acme.test");
    private readonly TestDkim _acmeNews = new("news.acme.test");
    private readonly TestDkim _strictNews = new("news.strict.test");

    public Task InitializeAsync()
    {
        _dns.Txt("acme.test", "v=spf1 ip4:127.0.0.2 -all")
            .Txt("_dmarc.acme.test", "v=DMARC1; p=reject")
            .Txt("soft.test", "v=spf1 ip4:127.0.0.2 ~all")
            .Txt("strict.test", "v=spf1 ip4:127.0.0.2 -all")
            .Txt("_dmarc.strict.test", "v=DMARC1; p=quarantine; adkim=s; aspf=s")
            .Txt("mail.strict.test", "v=spf1 ip4:127.0.0.2 -all");
        _acme.Publish(_dns);
        _acmeNews.Publish(_dns);
        _strictNews.Publish(_dns);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private SenderVerifier Verifier(Action<VerificationOptions>? configure = null, string? dnsServer = null)
    {
        var options = new VerificationOptions { DnsServers = [dnsServer ?? _dns.Endpoint] };
        configure?.Invoke(options);
        var wrapped = Options.Create(options);
        return new SenderVerifier(new CachingDnsResolver(wrapped, TimeProvider.System, NullLogger<CachingDnsResolver>.Instance), wrapped, NullLogger<SenderVerifier>.Instance);
    }

    private static MimeMessage Mail(string from, string text = "The quarterly numbers are attached.")
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Olivia Owner", from));
        message.To.Add(MailboxAddress.Parse("tasks@mailroom.localhost"));
        message.Subject = "Quarterly numbers";
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("acme.test");
        message.Date = DateTimeOffset.UtcNow;
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    /// <summary>What the receiving side parses: the signed message as bytes on the wire.</summary>
    private static MimeMessage OnTheWire(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }

    private static SenderEnvelope From(IPAddress client, string mailFrom, string helo = "mail.acme.test") => new(client, mailFrom, helo);

    [Fact]
    public async Task Dkim_AlignedSignature_AuthenticatesTheFrom_EvenFromAHostSpfRejects()
    {
        var verdict = await Verifier().VerifyAsync(OnTheWire(_acme.Sign(Mail("olivia@acme.test"))), From(OtherHost, "attacker@evil.test"), default);

        Assert.Equal("pass", verdict.Dkim);
        Assert.Equal(["acme.test"], verdict.DkimDomains);
        Assert.Equal("pass", verdict.Dmarc);
        Assert.Equal("reject", verdict.DmarcPolicy);
        Assert.True(verdict.FromAuthenticated);
        Assert.StartsWith("dkim=pass header.d=acme.test; spf=none smtp.mailfrom=evil.test; dmarc=pass (p=reject) header.from=acme.test", verdict.Summary);
    }

    [Fact]
    public async Task Dkim_BodyAlteredAfterSigning_Fails_AndTheFromIsNotAuthenticated()
    {
        var wire = OnTheWire(_acme.Sign(Mail("olivia@acme.test")));
        ((TextPart)wire.Body!).Text = "Please wire 10,000 EUR to the account below.";

        var verdict = await Verifier().VerifyAsync(OnTheWire(wire), From(OtherHost, "olivia@acme.test"), default);

        Assert.Equal("fail", verdict.Dkim);
        Assert.Equal("fail", verdict.Spf);
        Assert.Equal("fail", verdict.Dmarc);
        Assert.False(verdict.FromAuthenticated);
    }

    [Fact]
    public async Task Spf_PassFromTheListedHost_AuthenticatesAnAlignedFrom_AndFailsFromAnotherHost()
    {
        var verifier = Verifier();
        var pass = await verifier.VerifyAsync(Mail("olivia@acme.test"), From(LegitimateHost, "bounces@acme.test"), default);
        var fail = await verifier.VerifyAsync(Mail("olivia@acme.test"), From(OtherHost, "bounces@acme.test"), default);

        Assert.Equal(("none", "pass", "pass", true), (pass.Dkim, pass.Spf, pass.Dmarc, pass.FromAuthenticated));
        Assert.Contains("spf=pass smtp.mailfrom=acme.test", pass.Summary);
        Assert.Equal(("fail", "fail", false), (fail.Spf, fail.Dmarc, fail.FromAuthenticated));
    }

    [Fact]
    public async Task Spf_SoftFail_IsNotAPass()
    {
        var verdict = await Verifier().VerifyAsync(Mail("sam@soft.test"), From(OtherHost, "sam@soft.test"), default);

        Assert.Equal("softfail", verdict.Spf);
        Assert.Equal("none", verdict.Dmarc);
        Assert.False(verdict.FromAuthenticated);
    }

    [Fact]
    public async Task Spf_PassForAnUnrelatedEnvelopeDomain_DoesNotAuthenticateTheFrom()
    {
        _dns.Txt("evil.test", "v=spf1 ip4:127.0.0.1 -all");
        var verdict = await Verifier().VerifyAsync(Mail("olivia@acme.test"), From(OtherHost, "attacker@evil.test"), default);

        Assert.Equal("pass", verdict.Spf);
        Assert.Equal("fail", verdict.Dmarc);
        Assert.False(verdict.FromAuthenticated);
    }

    [Fact]
    public async Task Dmarc_Relaxed_AcceptsASubdomainSignature_Strict_DoesNot()
    {
        var verifier = Verifier();
        var relaxed = await verifier.VerifyAsync(OnTheWire(_acmeNews.Sign(Mail("olivia@acme.test"))), From(OtherHost, "x@other.test"), default);
        var strict = await verifier.VerifyAsync(OnTheWire(_strictNews.Sign(Mail("sara@strict.test"))), From(OtherHost, "x@other.test"), default);
        var strictSpf = await verifier.VerifyAsync(Mail("sara@strict.test"), From(LegitimateHost, "bounce@mail.strict.test"), default);

        Assert.Equal(("pass", "pass", true), (relaxed.Dkim, relaxed.Dmarc, relaxed.FromAuthenticated));
        Assert.Equal(("pass", "fail", false), (strict.Dkim, strict.Dmarc, strict.FromAuthenticated));
        Assert.Equal("quarantine", strict.DmarcPolicy);
        Assert.Equal(("pass", "fail", false), (strictSpf.Spf, strictSpf.Dmarc, strictSpf.FromAuthenticated));
    }

    [Fact]
    public async Task Dmarc_FromASubdomainWithoutItsOwnRecord_UsesTheOrganizationalDomainsRecord()
    {
        var verifier = Verifier();
        var signed = await verifier.VerifyAsync(OnTheWire(_acme.Sign(Mail("olivia@eu.acme.test"))), From(OtherHost, "x@other.test"), default);
        var forged = await verifier.VerifyAsync(Mail("olivia@eu.acme.test"), From(OtherHost, "x@other.test"), default);

        Assert.Equal(("pass", "reject", true), (signed.Dmarc, signed.DmarcPolicy, signed.FromAuthenticated));
        Assert.Equal(("fail", "reject", false), (forged.Dmarc, forged.DmarcPolicy, forged.FromAuthenticated));
    }

    [Theory]
    [InlineData("acme.test", "acme.test")]
    [InlineData("eu.mail.acme.test", "acme.test")]
    [InlineData("shop.co.uk", "shop.co.uk")]
    [InlineData("mail.shop.co.uk", "shop.co.uk")]
    [InlineData("news.shop.com.au", "shop.com.au")]
    [InlineData("a.b.example.com", "example.com")]
    public void OrganizationalDomain_IsTheLastTwoLabels_OrThreeUnderACountrysSecondLevel(string domain, string organizational) =>
        Assert.Equal(organizational, OrganizationalDomain.Of(domain));

    [Fact]
    public async Task TrustedRelay_ItsAuthenticationResultsDecide_OnlyWhenTheMailComesFromIt()
    {
        var verifier = Verifier(o => o.TrustedRelays = [new TrustedRelay { Networks = ["127.0.0.3"], AuthServId = "mx.acme.test" }]);
        var message = Mail("olivia@acme.test");
        message.Headers.Insert(0, "Authentication-Results", "mx.acme.test; dkim=pass header.d=acme.test; spf=fail smtp.mailfrom=evil.test; dmarc=pass header.from=acme.test");

        var fromRelay = await verifier.VerifyAsync(message, From(Relay, "attacker@evil.test"), default);
        var fromOther = await verifier.VerifyAsync(message, From(OtherHost, "attacker@evil.test"), default);

        Assert.True(fromRelay.FromAuthenticated);
        Assert.Equal(SenderVerdict.TrustedRelay, fromRelay.Basis);
        Assert.Contains("trusted relay mx.acme.test", fromRelay.Summary);
        Assert.False(fromOther.FromAuthenticated);
        Assert.Equal(SenderVerdict.Checks, fromOther.Basis);
        Assert.DoesNotContain("mx.acme.test", fromOther.Summary);
    }

    [Fact]
    public async Task TrustedRelay_OnlyItsTopmostHeaderCounts_NotAForgedOneBelow()
    {
        var verifier = Verifier(o => o.TrustedRelays = [new TrustedRelay { Networks = ["127.0.0.0/30"], AuthServId = "mx.acme.test" }]);
        var message = Mail("olivia@acme.test");
        // The sender wrote the lower one; the relay stamped the top one, above it.
        message.Headers.Insert(0, "Authentication-Results", "mx.acme.test; dkim=pass header.d=acme.test; dmarc=pass header.from=acme.test");
        message.Headers.Insert(0, "Authentication-Results", "mx.acme.test; dkim=none; spf=fail smtp.mailfrom=evil.test; dmarc=fail header.from=acme.test");

        var verdict = await verifier.VerifyAsync(message, From(Relay, "attacker@evil.test"), default);

        Assert.False(verdict.FromAuthenticated);
        Assert.Equal("fail", verdict.Dmarc);
    }

    [Fact]
    public async Task TrustedRelayWithoutAuthServId_SpfIsCheckedOnTheClientItsReceivedHeaderNames()
    {
        var verifier = Verifier(o => o.TrustedRelays = [new TrustedRelay { Networks = ["127.0.0.3"] }]);
        Task<SenderVerdict> Relayed(string clientClause)
        {
            var message = Mail("olivia@acme.test");
            // What the sender may have written itself sits below the relay's own header.
            message.Headers.Insert(0, "Received", "from mail.acme.test (mail.acme.test [127.0.0.2]) by forged.example; Mon, 30 Nov 2026 10:00:00 +0000");
            message.Headers.Insert(0, "Received", $"from {clientClause} by mx.acme.test (Postfix) with ESMTP id 4F1; Tue, 1 Dec 2026 10:00:00 +0000");
            return verifier.VerifyAsync(message, From(Relay, "olivia@acme.test"), default);
        }

        var legitimate = await Relayed("mail.acme.test (mail.acme.test [127.0.0.2])");
        var forged = await Relayed("evil.test (unknown [127.0.0.1])");
        var fromElsewhere = await verifier.VerifyAsync(Mail("olivia@acme.test"), From(OtherHost, "olivia@acme.test"), default);

        Assert.True(legitimate.FromAuthenticated);
        Assert.Equal("pass", legitimate.Spf);
        Assert.False(forged.FromAuthenticated);
        Assert.Equal("fail", forged.Spf);
        Assert.False(fromElsewhere.FromAuthenticated);
    }

    [Fact]
    public async Task InternalNetwork_CountsAsAuthenticated_WithoutAnyDns()
    {
        var verifier = Verifier(o => o.InternalNetworks = ["10.0.0.0/8"], dnsServer: $"127.0.0.1:{TestDns.FreeUdpPort()}");

        var verdict = await verifier.VerifyAsync(Mail("olivia@acme.test"), From(IPAddress.Parse("10.1.2.3"), "app@acme.test"), default);

        Assert.True(verdict.FromAuthenticated);
        Assert.Equal(SenderVerdict.InternalNetwork, verdict.Basis);
    }

    [Fact]
    public async Task Dns_ThatNeverAnswers_GivesATempErrorWithinTheBudget()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        var verifier = Verifier(o => { o.DnsQueryTimeout = TimeSpan.FromSeconds(1); o.MessageBudget = TimeSpan.FromSeconds(3); }, $"127.0.0.1:{port}");
        var clock = Stopwatch.StartNew();

        var verdict = await verifier.VerifyAsync(OnTheWire(_acme.Sign(Mail("olivia@acme.test"))), From(LegitimateHost, "olivia@acme.test"), default);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}");
        Assert.False(verdict.FromAuthenticated);
        Assert.True(verdict.TempError, verdict.Summary);
        Assert.Contains("temperror", verdict.Summary);
    }

    [Fact]
    public async Task Dns_FoundDown_TheNextMessagesFailAtOnce_InsteadOfEachWaitingItsBudget()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var verifier = Verifier(o => { o.DnsQueryTimeout = TimeSpan.FromSeconds(1); o.MessageBudget = TimeSpan.FromSeconds(3); },
            $"127.0.0.1:{((IPEndPoint)silent.Client.LocalEndPoint!).Port}");
        await verifier.VerifyAsync(Mail("olivia@acme.test"), From(LegitimateHost, "olivia@acme.test"), default);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 10; i++)
        {
            var verdict = await verifier.VerifyAsync(OnTheWire(_acme.Sign(Mail("olivia@acme.test"))), From(LegitimateHost, "olivia@acme.test"), default);
            Assert.True(verdict.TempError, verdict.Summary);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"10 messages took {clock.Elapsed}");
    }

    [Fact]
    public async Task Dns_Unreachable_GivesATempErrorQuickly()
    {
        var verifier = Verifier(dnsServer: $"127.0.0.1:{TestDns.FreeUdpPort()}");
        var clock = Stopwatch.StartNew();

        var verdict = await verifier.VerifyAsync(OnTheWire(_acme.Sign(Mail("olivia@acme.test"))), From(LegitimateHost, "olivia@acme.test"), default);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}");
        Assert.False(verdict.FromAuthenticated);
        Assert.Equal("temperror", verdict.Dkim);
        Assert.Equal("temperror", verdict.Spf);
    }
}
