using Mailroom.Smtp.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Mailroom.Smtp.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("Port", "70000", "Port")]
    [InlineData("Port", "-1", "Port")]
    [InlineData("Mode", "pop3", "Mode")]
    [InlineData("Address", "localhost", "Address")]
    [InlineData("MaxCommandLineLength", "100", "MaxCommandLineLength")]
    [InlineData("CertificatePath", "/nonexistent/cert.pfx", "CertificatePath")]
    [InlineData("LimitExemptNetworks", "127.0.0.0/8, intranet", "LimitExemptNetworks")]
    [InlineData("LimitExemptNetworks", "10.0.0.0/33", "LimitExemptNetworks")]
    [InlineData("MaxSessionsPerClient", "-1", "MaxSessionsPerClient")]
    [InlineData("MaxMessagesPerMinute", "-5", "MaxMessagesPerMinute")]
    [InlineData("SessionTimeout", "00:00:00", "SessionTimeout")]
    [InlineData("DataRateWindow", "00:00:00", "DataRateWindow")]
    [InlineData("MinDataRate", "-1", "MinDataRate")]
    [InlineData("SoftErrorLimit", "0", "SoftErrorLimit")]
    [InlineData("SpoolThreshold", "-1", "SpoolThreshold")]
    public async Task Start_WithInvalidOption_FailsNamingTheOption(string key, string value, string expected)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(
            () => SmtpTestServer.StartAsync(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(expected, exception.Message);
    }

    [Fact]
    public async Task Start_InLmtpMode_GreetsWithLmtp()
    {
        await using var server = await SmtpTestServer.StartAsync(new Dictionary<string, string?> { ["Mode"] = "LMTP" });
        await using var client = await RawSmtpClient.ConnectAsync(server.Port);
        Assert.Equal("220 mx.mailroom.test LMTP Mailroom", await client.ReadLineAsync());
    }
}
