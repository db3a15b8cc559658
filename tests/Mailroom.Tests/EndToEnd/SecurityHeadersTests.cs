using System.Net;
using System.Text;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>An error page is a page too: it keeps the headers that stop framing, sniffing and foreign scripts.</summary>
public class SecurityHeadersTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private static readonly string[] Names = ["Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"];

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ErrorResponses_404_400_401_500_CarryTheSameSecurityHeadersAsAPage(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Orders", newGroupName: "Orders");
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(integration.Address, "Order 12"));
        await server.Http.WaitUntilProcessedAsync();
        var post = Assert.Single(await server.Http.FeedAsync(integration.GroupId));

        using var page = await server.Http.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var expected = Headers(page);
        Assert.Equal("DENY", expected["X-Frame-Options"]);
        Assert.Equal("nosniff", expected["X-Content-Type-Options"]);
        Assert.Contains("frame-ancestors 'none'", expected["Content-Security-Policy"]);

        using var notFound = await server.Http.GetAsync("/api/posts/" + Guid.NewGuid());
        using var noRoute = await server.Http.GetAsync("/no/such/page");
        using var badRequest = await server.Http.PostAsync("/api/integrations/email", new StringContent("{not json", Encoding.UTF8, "application/json"));
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };
        using var unauthorized = await anonymous.GetAsync("/api/me");

        // An operator lost the raw emails: reading one is a server error, answered by the exception handler.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "blobs"), "*", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }
        using var serverError = await server.Http.GetAsync($"/api/posts/{post.Id}/original");

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noRoute.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badRequest.StatusCode);
        Assert.Equal("bad_request", (await Api.ProblemAsync(badRequest)).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, serverError.StatusCode);
        Assert.Equal("server_error", (await Api.ProblemAsync(serverError)).Code);
        foreach (var response in new[] { notFound, noRoute, badRequest, unauthorized, serverError })
        {
            Assert.Equal(expected, Headers(response));
        }
    }

    private static Dictionary<string, string> Headers(HttpResponseMessage response) =>
        Names.ToDictionary(n => n, n => response.Headers.TryGetValues(n, out var values) ? string.Join(",", values) : "(missing)");
}
