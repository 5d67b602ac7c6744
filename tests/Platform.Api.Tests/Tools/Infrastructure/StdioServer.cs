namespace Platform.Api.Tests.Tools.Infrastructure;

/// <summary>Where the tests' stdio MCP server (tests/Platform.StdioMcpServer, built with these tests) is.</summary>
public static class StdioServer
{
    /// <summary>The 1×1 PNG the server's render_swatch tool returns (the tests do not link against the server).</summary>
    public static readonly byte[] Pixel = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");

    /// <summary>The server's dll in the artifacts tree beside this test assembly, same configuration.</summary>
    public static string DllPath
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var path = Path.Combine(here.Parent!.Parent!.FullName, "Platform.StdioMcpServer", here.Name, "Platform.StdioMcpServer.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build tests/Platform.StdioMcpServer first (the Api tests reference it).", path);
        }
    }

    /// <summary>Configuration for a stdio server entry started as <c>dotnet Platform.StdioMcpServer.dll</c>.</summary>
    public static Dictionary<string, string?> Settings(string label, string? workingDirectory = null) => new()
    {
        [$"Mcp:Servers:{label}:Command"] = "dotnet",
        [$"Mcp:Servers:{label}:Arguments:0"] = DllPath,
        [$"Mcp:Servers:{label}:Environment:PLATFORM_STDIO_GREETING"] = "hello from configuration",
        [$"Mcp:Servers:{label}:WorkingDirectory"] = workingDirectory,
        [$"Mcp:Servers:{label}:RestartDelay"] = "00:00:00.200",
    };
}
