using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Accounts;

/// <summary>A provider stand-in and a Dovecot that checks XOAUTH2/OAUTHBEARER tokens against it, shared by a test class.</summary>
public sealed class OAuthFixture : IAsyncLifetime
{
    public OAuthStandIn Provider { get; private set; } = null!;
    public MailServer Mail { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await OAuthStandIn.StartAsync();
        Mail = await MailServer.StartAsync([("mia", MailServerFixture.MiaPassword), ("max", MailServerFixture.MaxPassword)], oauthIntrospectionUrl: $"{Provider.BaseUrl}/introspect");
    }

    public async Task DisposeAsync()
    {
        await Mail.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
