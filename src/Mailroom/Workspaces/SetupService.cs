using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Plans;
using Mailroom.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Workspaces;

/// <summary>First run: creates the workspace and its owner, once, while no user exists.</summary>
public sealed class SetupService(MailroomDb db, UserManager<User> users, IOptions<PlanCatalogOptions> plans)
{
    public Task<bool> IsDoneAsync(CancellationToken cancellationToken = default) => db.Users.AnyAsync(cancellationToken);

    public async Task<(Workspace Workspace, User Owner)> RunAsync(string workspaceName, string ownerName, string email, string password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(workspaceName) || string.IsNullOrWhiteSpace(ownerName))
        {
            throw AppProblem.Invalid("invalid_setup", "Give the workspace a name and yourself a display name.");
        }
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            // Checked inside the serialised transaction: ten setups at once make one owner.
            await using var tx = await db.BeginSerialisedAsync("setup", cancellationToken);
            if (await IsDoneAsync(cancellationToken))
            {
                throw AppProblem.Conflict("setup_already_done", "This server is already set up. Sign in instead.");
            }
            var workspace = new Workspace { Name = workspaceName.Trim(), PlanId = plans.Value.DefaultPlan };
            db.Workspaces.Add(workspace);
            var owner = new User { DisplayName = ownerName.Trim(), UserName = email.Trim(), Email = email.Trim(), Role = WorkspaceRole.Owner, EmailConfirmed = true };
            var created = await users.CreateAsync(owner, password);
            if (!created.Succeeded)
            {
                throw AppProblem.Invalid("invalid_account", string.Join(" ", created.Errors.Select(e => e.Description)));
            }
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return (workspace, owner);
        });
    }
}
