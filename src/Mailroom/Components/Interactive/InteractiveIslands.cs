namespace Mailroom.Components.Interactive;

public static class InteractiveIslands
{
    /// <summary>What the interactive server components need besides the circuit itself.</summary>
    public static IServiceCollection AddInteractiveIslands(this IServiceCollection services) =>
        services.AddScoped<MemberScopes>().AddScoped<TaskEvents>();
}
