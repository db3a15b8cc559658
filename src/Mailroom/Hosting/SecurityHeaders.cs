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

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            return next(context);
        });
}
