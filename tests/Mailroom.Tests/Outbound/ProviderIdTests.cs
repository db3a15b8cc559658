using Mailroom.Outbound;

namespace Mailroom.Tests.Outbound;

/// <summary>
/// The id a provider names in its final 250 reply when it replaced ours (Outlook: "250 2.0.0 OK
/// &lt;id&gt; [Hostname=…]"), which the outbox records as one more id of the thread.
/// </summary>
public class ProviderIdTests
{
    [Theory]
    [InlineData("2.0.0 OK <DB9PR04MB8395A1B2C3D4E5F6@DB9PR04MB8395.eurprd04.prod.outlook.com> [Hostname=DB9PR04MB8395.eurprd04.prod.outlook.com]",
        "DB9PR04MB8395A1B2C3D4E5F6@DB9PR04MB8395.eurprd04.prod.outlook.com")]
    [InlineData("2.0.0 OK <ours.1a2b@mail.test> [Hostname=relay]", null)]
    [InlineData("2.0.0 Ok: queued as 4Xb1Cd2Ef3", null)]
    [InlineData("2.0.0 OK  1733140000 d9443c01a7336-21a3c8a6dbcsm123456c88.117 - gsmtp", null)]
    [InlineData(null, null)]
    public void ProviderId_IsTheBracketedIdOfThe250Reply_WhenItIsNotOurs(string? reply, string? expected) =>
        Assert.Equal(expected, SmtpMailSender.ProviderId(reply, "ours.1a2b@mail.test"));
}
