using System.Net.Http.Headers;
using System.Net.Http.Json;
using Mailroom.Browser.Tests.Infrastructure;
using Mailroom.Browser.Tests.Pages;
using Microsoft.Playwright;
using MimeKit;

namespace Mailroom.Browser.Tests.Accessibility;

/// <summary>
/// A workspace with something on every page, made through the API: an owner, a member of the
/// "Support" group (with an email integration and one post by email), a guest let into the
/// "Client project" space, whose list has a task assigned to the member with a comment.
/// </summary>
public sealed class SeededWorkspace
{
    public const string OwnerEmail = "olivia@example.com";
    public const string MemberEmail = "mia@example.com";
    public const string GuestEmail = "gus@client.example";
    public const string Password = "a-long-enough-password";

    public Guid GroupId { get; private set; }
    public Guid SpaceId { get; private set; }
    public Guid ListId { get; private set; }
    public Guid TaskId { get; private set; }

    public static async Task<SeededWorkspace> CreateAsync(MailroomServer server)
    {
        using var api = new HttpClient { BaseAddress = server.BaseAddress };
        var seed = new SeededWorkspace();
        var setup = await PostAsync<SetupResponse>(api, "/api/setup", new { workspaceName = "Acme", ownerName = "Olivia Owner", email = OwnerEmail, password = Password });
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", setup.Token);
        var mia = await PostAsync<Created>(api, "/api/members", new { displayName = "Mia Member", email = MemberEmail, password = Password, role = "Member" });
        var gus = await PostAsync<Created>(api, "/api/members", new { displayName = "Gus Guest", email = GuestEmail, password = Password, role = "Guest" });

        var integration = await PostAsync<Integration>(api, "/api/integrations/email", new { title = "Support", newGroupName = "Support" });
        seed.GroupId = integration.GroupId;
        await PostAsync(api, $"/api/groups/{seed.GroupId}/members", new { userId = mia.Id, isManager = false });

        seed.SpaceId = (await PostAsync<Created>(api, "/api/spaces", new { name = "Client project" })).Id;
        await PostAsync(api, $"/api/spaces/{seed.SpaceId}/guests", new { userId = gus.Id });
        seed.ListId = (await PostAsync<Created>(api, $"/api/spaces/{seed.SpaceId}/lists", new { name = "Deliverables" })).Id;
        seed.TaskId = (await PostAsync<Created>(api, $"/api/lists/{seed.ListId}/tasks",
            new { name = "Logo draft", description = "Three options, by Friday.", assigneeIds = new[] { mia.Id } })).Id;
        await PostAsync(api, $"/api/tasks/{seed.TaskId}/comments", new { body = "The first drafts are in the shared folder." });

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Max Customer", "max@client.example"));
        message.To.Add(MailboxAddress.Parse(integration.Address));
        message.Subject = "The login page is down";
        message.Body = new TextPart("plain") { Text = "Since this morning the login page shows an error.\n\nMax" };
        await Mail.SendAsync(server.SmtpPort, message);
        await WaitForPostAsync(api, seed.GroupId);
        return seed;
    }

    /// <summary>A new browser context signed in as <paramref name="email"/>, at 1280 × 860.</summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, MailroomServer server, string email, Func<IBrowserContext, Task>? prepare = null)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 860 } });
        // Longer than the other tests' 15 s: these walk many pages, on a machine the whole suite shares.
        context.SetDefaultTimeout(30_000);
        if (prepare is not null)
        {
            await prepare(context);
        }
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await new SignInPage(page).SubmitAsync(email, Password);
        await page.WaitForURLAsync("**/groups", new() { WaitUntil = WaitUntilState.Commit });
        return page;
    }

    private static async Task WaitForPostAsync(HttpClient api, Guid groupId)
    {
        for (var i = 0; i < 100; i++)
        {
            var posts = await api.GetFromJsonAsync<List<object>>($"/api/groups/{groupId}/posts");
            if (posts is { Count: > 0 })
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The email never became a post.");
    }

    private static async Task<T> PostAsync<T>(HttpClient api, string url, object body)
    {
        using var response = await PostAsync(api, url, body);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient api, string url, object body)
    {
        var response = await api.PostAsJsonAsync(url, body);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} POST {url}: {await response.Content.ReadAsStringAsync()}");
        }
        return response;
    }

    private sealed record SetupResponse(string Token);
    private sealed record Created(Guid Id);
    private sealed record Integration(Guid Id, Guid GroupId, string Address);
}
