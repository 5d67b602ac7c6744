namespace Platform.Api.Tests.Infrastructure;

/// <summary>What the stub upstream answers to one request.</summary>
public sealed record StubReply
{
    public string? Content { get; init; }
    public IReadOnlyList<StubToolCall> ToolCalls { get; init; } = [];
    public int StatusCode { get; init; } = 200;
    public string? ErrorMessage { get; init; }
    public TimeSpan Delay { get; init; }
    /// <summary>Sent as a <c>Retry-After</c> header (whole seconds) with an error status.</summary>
    public TimeSpan? RetryAfter { get; init; }
    public int PromptTokens { get; init; } = 11;
    public int CompletionTokens { get; init; } = 7;
    public int CachedTokens { get; init; }
    public int ReasoningTokens { get; init; }

    /// <summary>Sent as the body instead of an answer built from the fields above (each line an SSE event's data when streaming).</summary>
    public string? RawBody { get; init; }

    /// <summary>Wait between stream events, as a model generating its answer.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Closes the connection after this many stream events, as a provider that breaks off.</summary>
    public int? BreakAfterEvents { get; init; }

    public static StubReply Text(string content) => new() { Content = content };

    public static StubReply ToolCall(string id, string name, string argumentsJson) => new() { ToolCalls = [new(id, name, argumentsJson)] };

    public static StubReply Error(int status, string message) => new() { StatusCode = status, ErrorMessage = message };

    public static StubReply Raw(string body) => new() { RawBody = body };
}

public sealed record StubToolCall(string Id, string Name, string Arguments);
