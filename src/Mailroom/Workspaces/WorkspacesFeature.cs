using Mailroom.Groups;
using Mailroom.Plans;
using Mailroom.Posts;

namespace Mailroom.Workspaces;

public static class WorkspacesFeature
{
    /// <summary>Workspace, plans, groups and their feeds.</summary>
    public static IServiceCollection AddWorkspaces(this IServiceCollection services)
    {
        services.AddOptions<PlanCatalogOptions>().BindConfiguration(PlanCatalogOptions.SectionName)
            .Validate(o => o.Catalog.Count > 0 && o.Find(o.DefaultPlan) is not null, "Mailroom:Plans needs a catalog that contains its DefaultPlan.")
            .ValidateOnStart();
        services.AddScoped<SetupService>();
        services.AddScoped<WorkspaceService>();
        services.AddScoped<GroupService>();
        services.AddScoped<PostService>();
        return services;
    }
}
