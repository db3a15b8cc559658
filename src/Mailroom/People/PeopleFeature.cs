using Mailroom.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Mailroom.People;

public static class PeopleFeature
{
    public const string SmartScheme = "Mailroom";

    /// <summary>Identity accounts, cookie sign-in for the UI and Bearer tokens for the API.</summary>
    public static IServiceCollection AddPeople(this IServiceCollection services)
    {
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or API token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/signin";
            o.Cookie.Name = "mailroom.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure when the request came over HTTPS, directly or through a configured proxy
            // (Mailroom:ForwardedHeaders); plain http on localhost keeps working.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            // The API answers 401/403 problem details instead of redirecting to the sign-in page.
            o.Events.OnRedirectToLogin = ctx => ApiOrRedirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiOrRedirect(ctx, StatusCodes.Status403Forbidden);
        });

        services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddSignInManager()
            .AddEntityFrameworkStores<MailroomDb>()
            .AddDefaultTokenProviders();
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddAuthorization();
        services.AddScoped<MemberService>();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<UnknownAccounts>();
        services.AddScoped<TimeDisplay>();
        services.AddScoped<ProfileService>();
        // The stamp is also compared on every request (CurrentUser); this only makes stale cookies
        // get deleted soon instead of after Identity's default half hour.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        return services;
    }

    private static Task ApiOrRedirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return ctx.Response.WriteAsJsonAsync(new
            {
                type = "https://tools.ietf.org/html/rfc9110#section-15.5." + (status == 401 ? "2" : "4"),
                title = status == 401 ? "Unauthorized" : "Forbidden",
                status,
                detail = status == 401 ? "Sign in, or send a personal API token as 'Authorization: Bearer …'." : "You may not do this.",
                code = status == 401 ? "unauthenticated" : "forbidden",
            }, options: null, contentType: "application/problem+json");
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
