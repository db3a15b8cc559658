namespace Mailroom.Tasks;

public static class TasksFeature
{
    /// <summary>Lists, tasks, comments and the routing of email to them.</summary>
    public static IServiceCollection AddTasks(this IServiceCollection services)
    {
        services.AddScoped<ListService>();
        services.AddScoped<TaskService>();
        services.AddScoped<CommentService>();
        services.AddScoped<CustomFieldService>();
        services.AddScoped<TaskMail>();
        return services;
    }
}
