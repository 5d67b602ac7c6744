using System.Reflection;

namespace Platform.Api.Usage;

/// <summary>
/// The usage page: one HTML file and one script, embedded in the Api and served at <c>/usage</c>. The
/// shell is public; its data comes from the usage endpoints with the key the user types in, so it shows
/// exactly what that key may read. Its own CSP allows nothing but this origin (no CDN, no inline script).
/// </summary>
public static class UsagePage
{
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapUsagePage(this IEndpointRouteBuilder app)
    {
        var html = Read("usage.html");
        var script = Read("usage.js");
        app.MapGet("/usage", (HttpContext http) => Serve(http, html, "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/usage/usage.js", (HttpContext http) => Serve(http, script, "text/javascript; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, byte[] content, string contentType)
    {
        http.Response.Headers.ContentSecurityPolicy = Policy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(content, contentType);
    }

    private static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Platform.Api.Usage.Page.{name}")
            ?? throw new InvalidOperationException($"The usage page's {name} is not embedded in the Api assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
