namespace Mailroom.Previews;

public static class PreviewsFeature
{
    /// <summary>Thumbnails of image attachments.</summary>
    public static IServiceCollection AddPreviews(this IServiceCollection services)
    {
        services.AddOptions<ThumbnailOptions>().BindConfiguration(ThumbnailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Thumbnails>();
        return services;
    }
}
