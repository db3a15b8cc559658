using System.Text.Json;
using Mailroom.Inbound;
using Mailroom.Tests.Infrastructure;
using MimeKit;

namespace Mailroom.Tests.Verification;

/// <summary><c>mailroom inspect</c>'s verification object, against a real DNS server on loopback.</summary>
public sealed class InspectVerificationTests : IAsyncLifetime
{
    private readonly TestDns _dns = new();
    private readonly TestDkim _acme = new("acme.test");
    private string _file = "";

    public Task InitializeAsync()
    {
        _acme.Publish(_dns.Txt("acme.test", "v=spf1 ip4:127.0.0.2 -all").Txt("_dmarc.acme.test", "v=DMARC1; p=reject"));
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Olivia Owner", "olivia@acme.test"));
        message.To.Add(MailboxAddress.Parse("tasks@mailroom.localhost"));
        message.Subject = "Signed";
        message.MessageId = "signed-1@acme.test";
        message.Body = new TextPart("plain") { Text = "Signed by acme.test." };
        _file = Path.GetTempFileName();
        using var stream = File.Create(_file);
        _acme.Sign(message).WriteTo(stream);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        File.Delete(_file);
        await _dns.DisposeAsync();
    }

    [Fact]
    public void Inspect_WithEnvelopeOptions_ShowsTheVerdict()
    {
        using var json = Run(_file, "--client-ip", "127.0.0.2", "--mail-from", "<olivia@acme.test>", "--dns-server", _dns.Endpoint);
        var verification = json.RootElement.GetProperty("verification");

        Assert.True(verification.GetProperty("checked").GetBoolean());
        Assert.True(verification.GetProperty("fromAuthenticated").GetBoolean());
        Assert.Equal("pass", verification.GetProperty("dkim").GetString());
        Assert.Equal("pass", verification.GetProperty("spf").GetString());
        Assert.Equal("pass", verification.GetProperty("dmarc").GetString());
        Assert.StartsWith("dkim=pass header.d=acme.test; spf=pass smtp.mailfrom=acme.test", verification.GetProperty("summary").GetString());
        Assert.DoesNotContain(verification.GetProperty("notChecked").EnumerateArray(), n => n.GetString()!.StartsWith("SPF"));
    }

    [Fact]
    public void Inspect_WithoutAnEnvelope_ChecksDkimAndDmarc_AndSaysSpfCouldNotBeChecked()
    {
        using var json = Run(_file, "--dns-server", _dns.Endpoint);
        var verification = json.RootElement.GetProperty("verification");

        Assert.True(verification.GetProperty("fromAuthenticated").GetBoolean());
        Assert.Equal("none", verification.GetProperty("spf").GetString());
        Assert.Contains(verification.GetProperty("notChecked").EnumerateArray(), n => n.GetString()!.Contains("no --client-ip"));
        Assert.Contains(verification.GetProperty("notChecked").EnumerateArray(), n => n.GetString()!.Contains("no --mail-from or --helo"));
    }

    [Fact]
    public void Inspect_WithoutVerificationOptions_AsksNoDns()
    {
        var before = _dns.Queries;
        using var json = Run(_file);
        var verification = json.RootElement.GetProperty("verification");

        Assert.False(verification.GetProperty("checked").GetBoolean());
        Assert.Equal(JsonValueKind.Null, verification.GetProperty("fromAuthenticated").ValueKind);
        Assert.Equal(before, _dns.Queries);
    }

    private static JsonDocument Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(InspectCommand.Ok, InspectCommand.Run(args, stdout, stderr));
        Assert.Equal("", stderr.ToString());
        return JsonDocument.Parse(stdout.ToString());
    }
}
