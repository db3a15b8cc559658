using Mailroom.Groups;
using Mailroom.Plans;
using Mailroom.Posts;
using Microsoft.Extensions.Options;

namespace Mailroom.Workspaces;

public static class WorkspacesFeature
{
    /// <summary>Workspace, plans, groups and their feeds.</summary>
    public static IServiceCollection AddWorkspaces(this IServiceCollection services)
    {
        services.AddOptions<PlanCatalogOptions>().BindConfiguration(PlanCatalogOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PlanCatalogOptions>, PlanCatalogValidation>();
        services.AddScoped<SetupService>();
        services.AddScoped<WorkspaceService>();
        services.AddScoped<PlanGates>();
        services.AddScoped<GroupService>();
        services.AddScoped<PostService>();
        return services;
    }
}
