namespace Platform.Api.Providers;

/// <summary>One entry of <c>Providers:&lt;name&gt;</c>.</summary>
public sealed class ProviderOptions
{
    /// <summary>
    /// <see cref="ProviderTypes.OpenAI"/> (any OpenAI-compatible endpoint), <see cref="ProviderTypes.AzureOpenAI"/>
    /// (an Azure OpenAI resource's v1 endpoint, <c>https://NAME.openai.azure.com/openai/v1/</c>, models named by
    /// deployment) or <see cref="ProviderTypes.Offline"/>.
    /// </summary>
    public string Type { get; set; } = ProviderTypes.OpenAI;

    /// <summary>Base URL including the version segment (e.g. <c>http://localhost:11434/v1</c>); OpenAI's when empty.</summary>
    public Uri? Endpoint { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>Model ids served by this provider, as the provider names them.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Extra names clients may use: alias → one of <see cref="Models"/>.</summary>
    public Dictionary<string, string> Aliases { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Embedding model ids served by this provider (<c>POST /v1/embeddings</c>), as the provider names them.</summary>
    public List<string> EmbeddingModels { get; set; } = [];

    /// <summary>Extra names clients may use for embedding models: alias → one of <see cref="EmbeddingModels"/>.</summary>
    public Dictionary<string, string> EmbeddingAliases { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long one upstream call may take before the gateway answers 504.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    public ProviderResilienceOptions Resilience { get; set; } = new();
}

public static class ProviderTypes
{
    public const string OpenAI = "openai";
    public const string AzureOpenAI = "azure-openai";
    public const string Offline = "offline";
}
