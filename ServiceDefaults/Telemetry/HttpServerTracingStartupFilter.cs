using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Platform.ServiceDefaults.Telemetry;

/// <summary>
/// ASP.NET Core starts a request activity but, without OpenTelemetry.Instrumentation.AspNetCore,
/// leaves it without attributes. This adds the HTTP semantic-convention attributes and names the
/// span "{method} {route}", and keeps health probes out of the traces.
/// </summary>
internal sealed class HttpServerTracingStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(static async (context, nextMiddleware) =>
        {
            var activity = Activity.Current;
            if (activity is null || activity.OperationName != "Microsoft.AspNetCore.Hosting.HttpRequestIn")
            {
                await nextMiddleware(context);
                return;
            }

            var path = context.Request.Path;
            if (path.StartsWithSegments(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath)
                || path.StartsWithSegments(Microsoft.Extensions.Hosting.Extensions.AlivenessEndpointPath))
            {
                activity.IsAllDataRequested = false;
                activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
                await nextMiddleware(context);
                return;
            }

            activity.SetTag("http.request.method", context.Request.Method);
            activity.SetTag("url.path", path.Value);
            activity.SetTag("url.scheme", context.Request.Scheme);
            activity.SetTag("server.address", context.Request.Host.Host);
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                if (route is not null)
                {
                    activity.SetTag("http.route", route);
                }
                activity.DisplayName = route is null ? context.Request.Method : $"{context.Request.Method} {route}";
                activity.SetTag("http.response.status_code", context.Response.StatusCode);
                if (context.Response.StatusCode >= 500)
                {
                    activity.SetStatus(ActivityStatusCode.Error);
                    activity.SetTag("error.type", context.Response.StatusCode.ToString());
                }
            }
        });
        next(app);
    };
}
