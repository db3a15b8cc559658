using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Mailroom.People;

public static class PeopleApi
{
    public sealed record TokenRequest(string Email, string Password, string? Name, DateTimeOffset? ExpiresAt);
    public sealed record TokenResponse(string Token);
    public sealed record NewTokenRequest(string? Name, DateTimeOffset? ExpiresAt);
    public sealed record NewTokenResponse(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Token);
    public sealed record NewMemberRequest(string DisplayName, string Email, string Password, WorkspaceRole Role);
    public sealed record UpdateMemberRequest(WorkspaceRole? Role, bool? Active);
    public sealed record UpdateProfileRequest(string? DisplayName, string? TimeZone, TaskNotifications? TaskNotifications);
    public sealed record PasswordRequest(string CurrentPassword, string NewPassword, bool SignOutOtherSessions);

    public static RouteGroupBuilder MapPeopleApi(this IEndpointRouteBuilder app)
    {
        // Exchanging a password for a token goes through Identity's lockout like the sign-in page.
        app.MapPost("/api/auth/token", IssueTokenAsync).AllowAnonymous().WithTags("People").DisableAntiforgery();
        app.MapGet("/api/me", MeAsync).RequireAuthorization().WithTags("People");
        app.MapGet("/api/me/profile", ProfileAsync).RequireAuthorization().WithTags("People");
        app.MapPatch("/api/me/profile", UpdateProfileAsync).RequireAuthorization().WithTags("People");
        app.MapPost("/api/me/password", ChangePasswordAsync).RequireAuthorization().WithTags("People");

        var tokens = app.MapGroup("/api/auth/tokens").RequireAuthorization().WithTags("People");
        tokens.MapGet("/", ListTokensAsync);
        tokens.MapPost("/", CreateTokenAsync);
        tokens.MapDelete("/{tokenId:guid}", RevokeTokenAsync);

        var members = app.MapGroup("/api/members").RequireAuthorization().WithTags("People");
        members.MapGet("/", ListAsync);
        members.MapPost("/", CreateAsync);
        members.MapPatch("/{userId:guid}", UpdateAsync);
        return members;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        TokenRequest request, UserManager<User> users, SignInManager<User> signIn, UnknownAccounts unknown, MailroomDb db, TimeProvider time, CancellationToken ct)
    {
        var user = await users.FindByEmailAsync(request.Email?.Trim() ?? "");
        if (user is null)
        {
            // The same answer, after the same work, as a wrong password: nobody learns who has an account.
            unknown.SpendPasswordCheck(request.Password);
            return ProblemHandling.Problem(401, "invalid_credentials", "The email or password is wrong.");
        }
        var result = await signIn.CheckPasswordSignInAsync(user, request.Password ?? "", lockoutOnFailure: true);
        // Identity says "locked out" without looking at the password: only someone who knows it may
        // learn that the account exists and is locked or deactivated; anyone else gets a wrong password.
        if (result.IsLockedOut && await users.CheckPasswordAsync(user, request.Password ?? ""))
        {
            return user.IsDeactivated
                ? ProblemHandling.Problem(423, "account_deactivated", "An admin deactivated this account.")
                : ProblemHandling.Problem(423, "locked_out", "Too many failed attempts: this account is locked for a few minutes. Try again later.");
        }
        if (!result.Succeeded)
        {
            return ProblemHandling.Problem(401, "invalid_credentials", "The email or password is wrong.");
        }
        var (_, secret) = ApiTokens.Issue(db, user.Id, request.Name, request.ExpiresAt, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new TokenResponse(secret));
    }

    private static async Task<Ok<IReadOnlyList<ApiTokenView>>> ListTokensAsync(ApiTokenService tokens, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await tokens.ListAsync(await db.RequireAsync(http.User, ct), ct));

    private static async Task<Created<NewTokenResponse>> CreateTokenAsync(NewTokenRequest request, ApiTokenService tokens, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var (token, secret) = await tokens.CreateAsync(await db.RequireAsync(http.User, ct), request.Name, request.ExpiresAt, ct);
        return TypedResults.Created($"/api/auth/tokens/{token.Id}", new NewTokenResponse(token.Id, token.Name, token.CreatedAt, token.ExpiresAt, secret));
    }

    private static async Task<NoContent> RevokeTokenAsync(Guid tokenId, ApiTokenService tokens, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        await tokens.RevokeAsync(await db.RequireAsync(http.User, ct), tokenId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MemberView>> MeAsync(MemberService members, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await members.GetAsync(await db.RequireAsync(http.User, ct), ct));

    private static async Task<Ok<ProfileView>> ProfileAsync(MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(ProfileView.Of(await db.RequireAsync(http.User, ct)));

    /// <summary>Any field may be left out; <c>timeZone</c> is an IANA id this server knows.</summary>
    private static async Task<Ok<ProfileView>> UpdateProfileAsync(UpdateProfileRequest request, ProfileService profiles, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var me = await db.RequireAsync(http.User, ct);
        if (request.DisplayName is not null)
        {
            await profiles.RenameAsync(me, request.DisplayName, ct);
        }
        await profiles.SetPreferencesAsync(me, request.TaskNotifications, request.TimeZone, ct);
        return TypedResults.Ok(ProfileView.Of(me));
    }

    /// <summary>
    /// The old password stops working at once. <c>signOutOtherSessions</c> also ends every cookie
    /// session and revokes every API token, the one calling included.
    /// </summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(PasswordRequest request, ProfileService profiles, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var me = await db.RequireAsync(http.User, ct);
        var refused = await profiles.ChangePasswordAsync(me, request.CurrentPassword, request.NewPassword, request.SignOutOtherSessions, ct);
        return refused is { Problem: var problem } ? problem.ToResult() : TypedResults.NoContent();
    }

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
