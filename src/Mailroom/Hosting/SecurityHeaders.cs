namespace Mailroom.Hosting;

/// <summary>
/// A second line behind the mail sanitiser: even if HTML from an email slipped a script or a
/// remote image through, the browser would neither run nor load it. The pages need nothing
/// else: one script file, one stylesheet, inline SVG icons and inline style attributes.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Added when the response starts rather than when the request comes in: the exception
    /// handler clears every header before it writes its 500, and status-code pages write after
    /// the endpoint. A response that set its own policy (a download's sandbox) keeps it.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpContext)state).Response.Headers;
                headers.TryAdd("Content-Security-Policy", ContentSecurityPolicy);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers.TryAdd("Referrer-Policy", "no-referrer");
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
