namespace Platform.ServiceDefaults.Telemetry;

/// <summary>The activity sources and meters every service exports.</summary>
public static class PlatformTelemetry
{
    /// <summary>Prefix of the project's own sources and meters (Platform.Redis, Platform.Usage, ...).</summary>
    public const string ProjectPrefix = "Platform.*";

    /// <summary>Built-in sources: these libraries trace themselves without instrumentation packages.</summary>
    public static readonly string[] ActivitySources =
    [
        ProjectPrefix,
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "Npgsql",
        "Experimental.Microsoft.Extensions.AI",
    ];

    public static readonly string[] Meters =
    [
        ProjectPrefix,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "System.Net.Http",
        "System.Net.NameResolution",
        "System.Runtime",
        "Npgsql",
        "Microsoft.EntityFrameworkCore",
        "Experimental.Microsoft.Extensions.AI",
    ];
}
