using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Hosting;

/// <summary>Turns every error of the API into problem details with a stable <c>code</c>.</summary>
public static class ProblemHandling
{
    public static ProblemHttpResult Problem(int status, string code, string detail, string? title = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title ?? ReasonPhrase(status),
            extensions: new Dictionary<string, object?> { ["code"] = code });

    public static ProblemHttpResult ToResult(this AppProblem problem)
    {
        var extensions = new Dictionary<string, object?>(problem.Details) { ["code"] = problem.Code };
        return TypedResults.Problem(detail: problem.Message, statusCode: problem.Status, title: ReasonPhrase(problem.Status), extensions: extensions);
    }

    public static IServiceCollection AddMailroomProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            // Defaults for framework-made problems (404 routes, 401/403, bad JSON): still a code.
            ctx.ProblemDetails.Extensions.TryAdd("code", ctx.ProblemDetails.Status switch
            {
                400 => "bad_request",
                401 => "unauthenticated",
                403 => "forbidden",
                404 => "not_found",
                405 => "method_not_allowed",
                415 => "unsupported_media_type",
                _ => "server_error",
            });
        });
        services.AddExceptionHandler<AppProblemExceptionHandler>();
        return services;
    }

    private static string ReasonPhrase(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        402 => "Payment Required",
        409 => "Conflict",
        _ => "Error",
    };

    private sealed class AppProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var (status, code, detail) = exception switch
            {
                AppProblem p => (p.Status, p.Code, p.Message),
                BadHttpRequestException b => (b.StatusCode, "bad_request", "The request could not be read: " + b.Message),
                _ => (500, "server_error", "Something went wrong on the server; it has been logged. Try again, and tell your administrator if it persists."),
            };
            httpContext.Response.StatusCode = status;
            var context = new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = { Status = status, Detail = detail, Title = ReasonPhrase(status), Extensions = { ["code"] = code } },
            };
            if (exception is AppProblem { Details: var details })
            {
                foreach (var (key, value) in details)
                {
                    context.ProblemDetails.Extensions.TryAdd(key, value);
                }
            }
            return await problems.TryWriteAsync(context);
        }
    }
}
