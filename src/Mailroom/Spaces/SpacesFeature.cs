namespace Mailroom.Spaces;

public static class SpacesFeature
{
    public static IServiceCollection AddSpaces(this IServiceCollection services)
    {
        services.AddScoped<SpaceService>();
        return services;
    }
}
