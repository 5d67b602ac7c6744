using System.Text.Json;

namespace Platform.Api.Embeddings.Wire;

/// <summary>The body of <c>POST /v1/embeddings</c>.</summary>
public sealed class EmbeddingRequest
{
    public string? Model { get; set; }

    /// <summary>A string or an array of strings (token arrays are refused).</summary>
    public JsonElement? Input { get; set; }

    /// <summary><c>float</c> (default) or <c>base64</c>.</summary>
    public string? EncodingFormat { get; set; }

    public int? Dimensions { get; set; }

    public string? User { get; set; }
}
