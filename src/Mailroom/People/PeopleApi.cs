using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.People;

public static class PeopleApi
{
    public sealed record TokenRequest(string Email, string Password, string? Name);
    public sealed record TokenResponse(string Token);
    public sealed record MemberResponse(Guid Id, string DisplayName, string Email, WorkspaceRole Role);
    public sealed record NewMemberRequest(string DisplayName, string Email, string Password, WorkspaceRole Role);

    public static RouteGroupBuilder MapPeopleApi(this IEndpointRouteBuilder app)
    {
        // Exchanging a password for a token goes through Identity's lockout like the sign-in page.
        app.MapPost("/api/auth/token", IssueTokenAsync).AllowAnonymous().WithTags("People").DisableAntiforgery();
        app.MapGet("/api/me", MeAsync).RequireAuthorization().WithTags("People");

        var members = app.MapGroup("/api/members").RequireAuthorization().WithTags("People");
        members.MapGet("/", ListAsync);
        members.MapPost("/", CreateAsync);
        return members;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        TokenRequest request, UserManager<User> users, SignInManager<User> signIn, MailroomDb db, CancellationToken ct)
    {
        var user = await users.FindByEmailAsync(request.Email ?? "");
        if (user is null)
        {
            return ProblemHandling.Problem(401, "invalid_credentials", "The email or password is wrong.");
        }
        var result = await signIn.CheckPasswordSignInAsync(user, request.Password ?? "", lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return ProblemHandling.Problem(423, "locked_out", "Too many failed attempts: this account is locked for a few minutes. Try again later.");
        }
        if (!result.Succeeded)
        {
            return ProblemHandling.Problem(401, "invalid_credentials", "The email or password is wrong.");
        }
        var token = ApiTokens.Issue(db, user.Id, string.IsNullOrWhiteSpace(request.Name) ? "API token" : request.Name.Trim());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new TokenResponse(token));
    }

    private static async Task<Ok<MemberResponse>> MeAsync(MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(Describe(await db.RequireAsync(http.User, ct)));

    private static async Task<Ok<List<MemberResponse>>> ListAsync(MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var me = await db.RequireAsync(http.User, ct);
        if (me.Role == WorkspaceRole.Guest)
        {
            throw AppProblem.Forbidden("Guests cannot list the workspace's members.");
        }
        var all = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ToListAsync(ct);
        return TypedResults.Ok(all.Select(Describe).ToList());
    }

    /// <summary>Admins add members directly (invitations by email come with outbound mail).</summary>
    private static async Task<Created<MemberResponse>> CreateAsync(NewMemberRequest request, MailroomDb db, UserManager<User> users, HttpContext http, CancellationToken ct)
    {
        var me = await db.RequireAsync(http.User, ct);
        me.RequireAdmin();
        if (request.Role == WorkspaceRole.Owner || !Enum.IsDefined(request.Role))
        {
            throw AppProblem.Invalid("invalid_role", "A new member's role is admin, member or guest; the workspace has one owner.");
        }
        if (string.IsNullOrWhiteSpace(request.DisplayName))
        {
            throw AppProblem.Invalid("invalid_name", "Give the member a display name.");
        }
        var user = new User { DisplayName = request.DisplayName.Trim(), Email = request.Email?.Trim(), UserName = request.Email?.Trim(), Role = request.Role, EmailConfirmed = true };
        var created = await users.CreateAsync(user, request.Password ?? "");
        if (!created.Succeeded)
        {
            throw AppProblem.Invalid("invalid_account", string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        return TypedResults.Created($"/api/members/{user.Id}", Describe(user));
    }

    private static MemberResponse Describe(User u) => new(u.Id, u.DisplayName, u.Email ?? "", u.Role);
}
