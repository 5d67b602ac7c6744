using System.Text.Json;

namespace Platform.Api.Tests.Infrastructure;

/// <summary>A request the stub upstream received, and how it ended.</summary>
public sealed class StubRequest(JsonElement body, string? authorization, string? apiKey = null)
{
    public JsonElement Body { get; } = body;
    public string? Authorization { get; } = authorization;

    /// <summary>The <c>api-key</c> header, as Azure OpenAI reads a key.</summary>
    public string? ApiKey { get; } = apiKey;
    public string Model => Body.GetProperty("model").GetString()!;
    public bool Stream => Body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;

    /// <summary>Completes with true when the answer was sent, false when the caller went away first.</summary>
    public TaskCompletionSource<bool> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
