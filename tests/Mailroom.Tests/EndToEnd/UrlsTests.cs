using System.Text.Json.Nodes;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>Where the web UI listens, set the way containers and service managers set it.</summary>
public class UrlsTests
{
    [Fact]
    public async Task AspnetcoreUrls_Alone_IsWhereTheServerListens()
    {
        await using var server = new MailroomServer(Database.Sqlite);
        server.UrlsOnCommandLine = false;
        server.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{server.HttpPort}";
        await server.StartAsync();

        Assert.Equal("Healthy", await server.Http.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task AspnetcoreUrls_BeatsUrlsInAppsettings()
    {
        await using var server = new MailroomServer(Database.Sqlite);
        server.ContentRoot = ContentRootWithUrls(server.DataDirectory, $"http://127.0.0.1:{FreePort.Next()}");
        server.UrlsOnCommandLine = false;
        server.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{server.HttpPort}";
        await server.StartAsync();

        Assert.Equal("Healthy", await server.Http.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task CommandLineUrls_BeatAspnetcoreUrls()
    {
        await using var server = new MailroomServer(Database.Sqlite);
        var elsewhere = FreePort.Next();
        server.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{elsewhere}";
        await server.StartAsync();

        Assert.Equal("Healthy", await server.Http.GetStringAsync("/healthz"));
        using var other = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{elsewhere}") };
        await Assert.ThrowsAsync<HttpRequestException>(() => other.GetAsync("/healthz"));
    }

    /// <summary>A copy of the app's appsettings.json whose 'urls' points elsewhere.</summary>
    private static string ContentRootWithUrls(string dataDirectory, string urls)
    {
        var root = Directory.CreateDirectory(Path.Combine(dataDirectory, "content")).FullName;
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")))!.AsObject();
        settings["urls"] = urls;
        File.WriteAllText(Path.Combine(root, "appsettings.json"), settings.ToJsonString());
        return root;
    }
}
