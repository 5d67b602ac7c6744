using System.Diagnostics;

namespace Platform.AppHost.Infrastructure;

/// <summary>How the AppHost provides Redis and PostgreSQL.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a container engine answers, local executables otherwise.</summary>
    Auto,

    /// <summary>The Redis and PostgreSQL container images (AddRedis, AddPostgres); what a deployment uses.</summary>
    Containers,

    /// <summary><c>redis-server</c> and <c>postgres</c> from the machine's packages, run by the orchestrator as executables.</summary>
    Local,
}

public static class InfrastructureModes
{
    /// <summary>The configuration key (<c>Infrastructure__Mode</c>, or <c>--Infrastructure:Mode local</c>).</summary>
    public const string ConfigurationKey = "Infrastructure:Mode";

    /// <summary>
    /// Reads the mode and resolves <see cref="InfrastructureMode.Auto"/>. Publishing (the manifest that
    /// azd deploys) always describes containers: the local executables exist only on this machine.
    /// </summary>
    public static InfrastructureMode Resolve(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[ConfigurationKey];
        var mode = InfrastructureMode.Auto;
        if (!string.IsNullOrWhiteSpace(configured) && !Enum.TryParse(configured, ignoreCase: true, out mode))
        {
            throw new InvalidOperationException(
                $"{ConfigurationKey} is '{configured}'; use auto, containers or local.");
        }
        if (builder.ExecutionContext.IsPublishMode)
        {
            return InfrastructureMode.Containers;
        }
        return mode == InfrastructureMode.Auto
            ? (ContainerEngineAnswers() ? InfrastructureMode.Containers : InfrastructureMode.Local)
            : mode;
    }

    /// <summary>True when <c>docker info</c> (or the runtime in ASPIRE_CONTAINER_RUNTIME) reaches an engine.</summary>
    private static bool ContainerEngineAnswers()
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } r ? r : "docker";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }
            // A client without an engine answers at once; a hung engine must not hold up the start.
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false; // no client installed
        }
    }
}
