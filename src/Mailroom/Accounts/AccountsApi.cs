using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Accounts;

public static class AccountsApi
{
    /// <summary>"Test connection" as the API answers it: a failed test is an answer too, so it is a 200 with the failing step.</summary>
    public sealed record TestView(bool Ok, string? FailedStep, ConnectionFailure? Reason, string? Code, string? Detail);

    public sealed record PasswordRequest(string? Password);

    public sealed record SendViaRequest(SendVia SendVia);
    /// <summary>PATCH body: the Send-as name (null or empty: the bare address).</summary>
    public sealed record UpdateAccountRequest(string? SendAsName);

    public static RouteGroupBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/accounts").RequireAuthorization().WithTags("Accounts");
        api.MapGet("/", ListAsync);
        api.MapGet("/providers", () => TypedResults.Ok(ProviderCatalog.Presets));
        api.MapPost("/test", TestAsync);
        api.MapPost("/", LinkAsync);
        api.MapGet("/oauth/providers", (OAuthLinks links) => TypedResults.Ok(links.Offered));
        // A saved account's own test: its stored credentials, an OAuth token refreshed as the sender would.
        api.MapPost("/{id:guid}/test", async (Guid id, AccountService accounts, MailroomDb db, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(Test(await accounts.TestSavedAsync(await db.RequireAsync(http.User, ct), id, ct))));
        // Re-authenticating a password account: saved only when both logins pass with it.
        api.MapPut("/{id:guid}/password", async (Guid id, PasswordRequest request, AccountService accounts, MailroomDb db, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(Test(await accounts.ChangePasswordAsync(await db.RequireAsync(http.User, ct), id, request.Password, ct))));
        api.MapPut("/{id:guid}/send-via", async (Guid id, SendViaRequest request, AccountService accounts, MailroomDb db, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await accounts.SetSendViaAsync(await db.RequireAsync(http.User, ct), id, request.SendVia, ct)));
        // The accounts the caller may send from (own and granted), and one of them or ACCESS_137: what an API client's From field needs.
        api.MapGet("/sendable", async (AccountService accounts, MailroomDb db, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await accounts.SendableAsync(await db.RequireAsync(http.User, ct), ct)));
        api.MapGet("/sendable/{id:guid}", async (Guid id, AccountService accounts, MailroomDb db, HttpContext http, CancellationToken ct) =>
        {
            var me = await db.RequireAsync(http.User, ct);
            var account = await accounts.AccountToSendFromAsync(me, id, ct);
            return TypedResults.Ok((await accounts.SendableAsync(me, ct)).First(a => a.Id == account.Id));
        });
        api.MapPatch("/{id:guid}", async (Guid id, UpdateAccountRequest request, AccountService accounts, MailroomDb db, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await accounts.SetSendAsNameAsync(await db.RequireAsync(http.User, ct), id, request.SendAsName, ct)));
        api.MapDelete("/{id:guid}", async (Guid id, AccountService accounts, MailroomDb db, HttpContext http, CancellationToken ct) =>
        {
            await accounts.RemoveAsync(await db.RequireAsync(http.User, ct), id, ct);
            return TypedResults.NoContent();
        });
        return api;
    }

    private static async Task<Ok<IReadOnlyList<AccountView>>> ListAsync(AccountService accounts, MailroomDb db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await accounts.ListAsync(await db.RequireAsync(http.User, ct), ct));

    private static async Task<Ok<TestView>> TestAsync(LinkAccountRequest request, AccountService accounts, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var result = await accounts.TestAsync(await db.RequireAsync(http.User, ct), request, ct);
        return TypedResults.Ok(Test(result));
    }

    private static TestView Test(ConnectionTestResult result) => result.Ok
        ? new TestView(true, null, null, null, null)
        : new TestView(false, result.FailedStep!.Value.Describe(), result.Failure, AccountProblems.Code(result.Failure!.Value), AccountProblems.Detail(result));

    private static async Task<Results<Created<AccountView>, ProblemHttpResult>> LinkAsync(LinkAccountRequest request, AccountService accounts, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var outcome = await accounts.LinkAsync(await db.RequireAsync(http.User, ct), request, ct);
        if (outcome.Account is { } account)
        {
            return TypedResults.Created($"/api/accounts/{account.Id}", account);
        }
        var failure = outcome.Test.Failure!.Value;
        return TypedResults.Problem(
            detail: AccountProblems.Detail(outcome.Test),
            statusCode: AccountProblems.Status(failure),
            title: failure == ConnectionFailure.AuthenticationRefused ? "Login refused" : "Mail server not reached",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = AccountProblems.Code(failure),
                ["step"] = outcome.Test.FailedStep!.Value.Describe(),
                ["reason"] = failure.ToString(),
            });
    }
}
