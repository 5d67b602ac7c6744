using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Platform.StdioMcpServer;

[McpServerToolType]
public sealed class StdioTools
{
    /// <summary>A 1×1 red PNG.</summary>
    public static readonly byte[] Pixel = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");

    [McpServerTool(Name = "reverse_text", Title = "Reverse text", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Reverses a piece of text character by character and reports its length.")]
    public static ReverseResult ReverseText([Description("The text to reverse.")] string text) =>
        new(new string(text.Reverse().ToArray()), text.Length);

    [McpServerTool(Name = "render_swatch", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("Renders a colour swatch as a PNG image, with a text resource describing it.")]
    public static IEnumerable<ContentBlock> RenderSwatch([Description("A colour name.")] string color) =>
    [
        ImageContentBlock.FromBytes(Pixel, "image/png"),
        new EmbeddedResourceBlock
        {
            Resource = new TextResourceContents { Uri = $"swatch://{color}", MimeType = "text/plain", Text = $"A 1x1 {color} swatch." },
        },
    ];

    [McpServerTool(Name = "delete_note", ReadOnly = false, Idempotent = false, Destructive = true, OpenWorld = true)]
    [Description("Deletes a note by id from the remote note service (pretend).")]
    public static string DeleteNote([Description("The note id.")] string id) => $"deleted {id}";

    [McpServerTool(Name = "describe_environment", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Reports the process's working directory, its PLATFORM_STDIO_GREETING variable and its process id.")]
    public static EnvironmentResult DescribeEnvironment() =>
        new(Environment.CurrentDirectory, Environment.GetEnvironmentVariable("PLATFORM_STDIO_GREETING"), Environment.ProcessId);

    [McpServerTool(Name = "exit_process", ReadOnly = false, Idempotent = false, Destructive = true, OpenWorld = false)]
    [Description("Ends the server process at once, as a crash would.")]
    public static string ExitProcess()
    {
        Environment.Exit(3);
        return "unreachable";
    }

    public sealed record ReverseResult(string Reversed, int Length);

    public sealed record EnvironmentResult(string WorkingDirectory, string? Greeting, int ProcessId);
}
