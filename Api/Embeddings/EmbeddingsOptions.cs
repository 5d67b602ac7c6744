namespace Platform.Api.Embeddings;

/// <summary>The <c>Embeddings</c> configuration section: limits of <c>POST /v1/embeddings</c>.</summary>
public sealed class EmbeddingsOptions
{
    public const string SectionName = "Embeddings";

    /// <summary>Larger request bodies are refused with 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most inputs in one request (OpenAI's own limit is 2048).</summary>
    public int MaxInputs { get; set; } = 2048;

    /// <summary>Largest <c>dimensions</c> a request may ask for.</summary>
    public int MaxDimensions { get; set; } = 4096;
}
