using Mailroom.Billing;
using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Plans;
using Mailroom.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Workspaces;

public static class WorkspacesApi
{
    public sealed record SetupRequest(string WorkspaceName, string OwnerName, string Email, string Password);
    public sealed record SetupResponse(Guid WorkspaceId, Guid UserId, string Token);
    /// <summary>
    /// <see cref="EmailUses"/>: emails sent from tasks so far, against <see cref="EmailUsesLimit"/>
    /// (null: unlimited); <see cref="EmailAccounts"/>: linked mailboxes, against <see cref="EmailAccountsLimit"/> (free accounts and bought slots).
    /// </summary>
    public sealed record WorkspaceResponse(Guid Id, string Name, string PlanId, string PlanName, IntegrationPermission IntegrationPermission, PlanLimits Limits, bool PlanPinned,
        int EmailUses, int? EmailUsesLimit, int EmailAccounts, int EmailAccountsLimit);
    public sealed record SettingsRequest(IntegrationPermission IntegrationPermission);
    public sealed record PlanRequest(string PlanId);

    public static RouteGroupBuilder MapWorkspacesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/setup", SetupAsync).AllowAnonymous().WithTags("Workspace").DisableAntiforgery();

        var api = app.MapGroup("/api/workspace").RequireAuthorization().WithTags("Workspace");
        api.MapGet("/", GetAsync);
        api.MapPatch("/settings", UpdateSettingsAsync);
        api.MapPut("/plan", SwitchPlanAsync);
        app.MapGet("/api/plans", (WorkspaceService w) => TypedResults.Ok(w.Catalog)).RequireAuthorization().WithTags("Workspace");
        return api;
    }

    private static async Task<Results<Created<SetupResponse>, ProblemHttpResult>> SetupAsync(SetupRequest request, SetupService setup, MailroomDb db, CancellationToken ct)
    {
        var (workspace, owner) = await setup.RunAsync(request.WorkspaceName, request.OwnerName, request.Email, request.Password, ct);
        var (_, token) = ApiTokens.Issue(db, owner.Id, "Created at setup");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created("/api/workspace", new SetupResponse(workspace.Id, owner.Id, token));
    }

    private static async Task<Ok<WorkspaceResponse>> GetAsync(WorkspaceService workspaces, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        await db.RequireAsync(http.User, ct);
        return TypedResults.Ok(await DescribeAsync(workspaces, await workspaces.GetAsync(ct), http.RequestServices, ct));
    }

    private static async Task<Ok<WorkspaceResponse>> UpdateSettingsAsync(SettingsRequest request, WorkspaceService workspaces, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var user = await db.RequireAsync(http.User, ct);
        var workspace = await workspaces.SetIntegrationPermissionAsync(user, request.IntegrationPermission, ct);
        return TypedResults.Ok(await DescribeAsync(workspaces, workspace, http.RequestServices, ct));
    }

    /// <summary>
    /// Kept for the clients of the time plans were switched here: the plan now changes through
    /// billing (<c>POST /api/billing/plan</c>), and is refused here saying where, or why not at all.
    /// </summary>
    private static async Task<Ok<WorkspaceResponse>> SwitchPlanAsync(PlanRequest request, PlanChanges plans, MailroomDb db, HttpContext http, CancellationToken ct)
    {
        var user = await db.RequireAsync(http.User, ct);
        plans.RequireMayChange(user);
        throw new AppProblem(StatusCodes.Status409Conflict, BillingProblems.PlanChangesThroughBilling,
            "The plan changes through billing, so that an upgrade is charged: use the Billing page, or POST /api/billing/plan with an Idempotency-Key.");
    }

    private static async Task<WorkspaceResponse> DescribeAsync(WorkspaceService workspaces, Workspace workspace, IServiceProvider services, CancellationToken ct)
    {
        var plan = await workspaces.CurrentPlanAsync(ct);
        var uses = await services.GetRequiredService<Outbound.EmailUses>().UsageAsync(ct);
        var accounts = await services.GetRequiredService<Accounts.AccountAllowance>().UsageAsync(ct);
        return new WorkspaceResponse(workspace.Id, workspace.Name, plan.Id, plan.Name, workspace.IntegrationPermission, plan.Limits, workspaces.PinnedPlan is not null,
            uses.Sent, uses.Limit, accounts.Linked, accounts.Limit);
    }
}
