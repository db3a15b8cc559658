using Microsoft.Extensions.Hosting;

namespace Mailroom.Tests.Infrastructure;

/// <summary>For services built in process without a host: a lifetime whose StopApplication is a test failure.</summary>
internal sealed class TestLifetime : IHostApplicationLifetime
{
    public CancellationToken ApplicationStarted => CancellationToken.None;
    public CancellationToken ApplicationStopping => CancellationToken.None;
    public CancellationToken ApplicationStopped => CancellationToken.None;
    public void StopApplication() => throw new InvalidOperationException("A service stopped the application.");
}
