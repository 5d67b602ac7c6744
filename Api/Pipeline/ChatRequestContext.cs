using System.Text.Json;

namespace Platform.Api.Pipeline;

/// <summary>
/// What the pipeline knows about the HTTP request being served. Middleware reads it through
/// <see cref="IChatRequestContextAccessor"/>; it is created once per request by <see cref="ChatRequestContextFactory"/>.
/// </summary>
public sealed class ChatRequestContext
{
    public required string RequestId { get; init; }

    /// <summary>The authenticated API key's id, or <see cref="ChatRequestContextFactory.AnonymousTenant"/>.</summary>
    public required string TenantId { get; init; }

    /// <summary>The provider (<c>Providers:&lt;name&gt;</c>) of the model's preferred deployment; <see cref="ServedBy"/> says which one answered.</summary>
    public required string ProviderName { get; init; }

    /// <summary>The model id sent to the provider, after alias and <c>provider/model</c> resolution.</summary>
    public required string ModelId { get; init; }

    /// <summary>The model exactly as the client named it.</summary>
    public required string RequestedModel { get; init; }

    public bool Stream { get; init; }

    /// <summary><c>Cache-Control: no-cache</c>: do not read the response cache (still write).</summary>
    public bool NoCache { get; init; }

    /// <summary><c>Cache-Control: no-store</c>: neither read nor write the response cache.</summary>
    public bool NoStore { get; init; }

    /// <summary>
    /// The deployment that answered the current provider call, set by the routing stage when the answer (or a
    /// stream's first token) came; null for a cache hit. Sent as <c>x-platform-deployment</c>, written in the usage record.
    /// </summary>
    public Routing.Deployment? ServedBy { get; set; }

    /// <summary>"hit" | "miss" | "bypass", set by the cache middleware; sent as the <c>x-cache</c> header.</summary>
    public string? CacheStatus { get; set; }

    private int _toolCallCount;

    /// <summary>Tool calls run server-side for this request.</summary>
    public int ToolCallCount => Volatile.Read(ref _toolCallCount);

    /// <summary>Counts one server-side tool call; several may run at once.</summary>
    public void RecordToolCall() => Interlocked.Increment(ref _toolCallCount);

    /// <summary>Entries of the request's <c>tools</c> that are not function tools (e.g. <c>{"type":"mcp",...}</c>), as sent.</summary>
    public IReadOnlyList<JsonElement> ExtensionTools { get; init; } = [];

    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>A place for middleware to hand values to each other within the request.</summary>
    public IDictionary<string, object?> Items { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);
}
