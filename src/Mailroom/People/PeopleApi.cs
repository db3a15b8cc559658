using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Mailroom.People;

public static class PeopleApi
{
    public sealed record TokenRequest(string Email, string Password, string? Name);
    public sealed record TokenResponse(string Token);
    public sealed record NewMemberRequest(string DisplayName, string Email, string Password, WorkspaceRole Role);
    public sealed record UpdateMemberRequest(WorkspaceRole? Role, bool? Active);

    public static RouteGroupBuilder MapPeopleApi(this IEndpointRouteBuilder app)
    {
        // Exchanging a password for a token goes through Identity's lockout like the sign-in page.
        app.MapPost("/api/auth/token", IssueTokenAsync).AllowAnonymous().WithTags("People").DisableAntiforgery();
        app.MapGet("/api/me", MeAsync).RequireAuthorization().WithTags("People");

        var members = app.MapGroup("/api/members").RequireAuthorization().WithTags("People");
        members.MapGet("/", ListAsync);
        members.MapPost("/", CreateAsync);
        members.MapPatch("/{userId:guid}", UpdateAsync);
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
            return user.IsDeactivated
                ? ProblemHandling.Problem(423, "account_deactivated", "An admin deactivated this account.")
                : ProblemHandling.Problem(423, "locked_out", "Too many failed attempts: this account is locked for a few minutes. Try again later.");
        }
        if (!result.Succeeded)
        {
            return ProblemHandling.Problem(401, "invalid_credentials", "The email or password is wrong.");
        }
        var token = ApiTokens.Issue(db, user.Id, string.IsNullOrWhiteSpace(request.Name) ? "API token" : request.Name.Trim());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new TokenResponse(token));
    }

    private static async Task<Ok<MemberView>> MeAsync(MemberService members, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await members.GetAsync(await db.RequireAsync(http.User, ct), ct));

    private static async Task<Ok<IReadOnlyList<MemberView>>> ListAsync(MemberService members, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await members.ListAsync(await db.RequireAsync(http.User, ct), ct));

    private static async Task<Created<MemberView>> CreateAsync(NewMemberRequest request, MemberService members, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var member = await members.AddAsync(await db.RequireAsync(http.User, ct), request.DisplayName, request.Email, request.Password, request.Role, ct);
        return TypedResults.Created($"/api/members/{member.Id}", member);
    }

    /// <summary>Role change and deactivation; either field may be left out.</summary>
    private static async Task<Ok<MemberView>> UpdateAsync(Guid userId, UpdateMemberRequest request, MemberService members, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await members.UpdateAsync(await db.RequireAsync(http.User, ct), userId, request.Role, request.Active, ct));
}
