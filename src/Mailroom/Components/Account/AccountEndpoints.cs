using Mailroom.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Components.Account;

/// <summary>
/// Sign-out is a POST (a link would let any page sign you out); it lives outside the pages
/// because static rendering cannot clear the cookie after the response has started.
/// </summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // [FromForm] makes the endpoint require the antiforgery token the sidebar form sends.
        app.MapPost("/signout", async (SignInManager<User> signIn, [FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/signin");
        }).ExcludeFromDescription();
        return app;
    }
}
