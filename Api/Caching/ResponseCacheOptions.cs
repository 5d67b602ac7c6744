namespace Platform.Api.Caching;

/// <summary>Response-cache policy, bound from the <c>ResponseCache</c> section.</summary>
public sealed class ResponseCacheOptions
{
    public const string SectionName = "ResponseCache";

    public bool Enabled { get; set; } = true;

    /// <summary>Model ids (as sent to the provider, or as the client named them) whose answers are cached; empty = all.</summary>
    public List<string> Models { get; set; } = [];

    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>TTL per model id, overriding <see cref="DefaultTtl"/>.</summary>
    public Dictionary<string, TimeSpan> TtlPerModel { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True: cache only deterministic requests (temperature 0). False: cache every request.</summary>
    public bool OnlyDeterministic { get; set; } = true;

    /// <summary>
    /// Whether a request without a temperature counts as deterministic. Providers sample at their own
    /// default (OpenAI's is 1) when none is sent, so by default it does not.
    /// </summary>
    public bool UnsetTemperatureIsDeterministic { get; set; }
}
