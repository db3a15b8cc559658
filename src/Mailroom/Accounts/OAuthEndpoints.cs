using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Mailroom.Accounts;

/// <summary>
/// The browser's side of an OAuth link: plain GETs a member follows from the Email accounts page
/// to the provider and back. Signed in by cookie (Lax, so the provider's redirect carries it).
/// </summary>
public static class OAuthEndpoints
{
    public const string PagePath = "/settings/email-accounts";

    public static IEndpointRouteBuilder MapOAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(PagePath + "/oauth/{provider}/start", StartAsync).RequireAuthorization().ExcludeFromDescription();
        app.MapGet(OAuthLinks.CallbackPath, CallbackAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<RedirectHttpResult, NotFound>> StartAsync(string provider, Guid? account, OAuthLinks links, MailroomDb db, HttpContext http, IOptions<OAuthOptions> options, CancellationToken ct)
    {
        if (provider.All(char.IsAsciiDigit) || !Enum.TryParse<OAuthProvider>(provider, ignoreCase: true, out var which))
        {
            return TypedResults.NotFound();
        }
        string url;
        try
        {
            url = await links.StartAsync(await db.RequireAsync(http.User, ct), which, account, RedirectUri(http, options.Value), ct);
        }
        catch (Hosting.AppProblem problem) when (problem.Code == Plans.PlanProblems.EmailAccountsReached)
        {
            // Followed from a page: back to it, which says why and how to get another slot.
            return TypedResults.Redirect($"{PagePath}?{OAuthOutcome.Problem(problem.Code).Query()}");
        }
        return TypedResults.Redirect(url);
    }

    private static async Task<RedirectHttpResult> CallbackAsync(string? code, string? state, string? error, string? error_description, OAuthLinks links, MailroomDb db, HttpContext http, IOptions<OAuthOptions> options, CancellationToken ct)
    {
        var outcome = await links.CompleteAsync(await db.RequireAsync(http.User, ct), new OAuthCallback(code, state, error, error_description), RedirectUri(http, options.Value), ct);
        return TypedResults.LocalRedirect($"{PagePath}?{outcome.Query()}");
    }

    /// <summary>The callback URL as registered with the provider: the configured one, else this host's.</summary>
    private static string RedirectUri(HttpContext http, OAuthOptions options) =>
        options.RedirectUrl ?? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{OAuthLinks.CallbackPath}";
}
