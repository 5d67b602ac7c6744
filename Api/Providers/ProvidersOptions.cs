namespace Platform.Api.Providers;

/// <summary>The <c>Providers</c> configuration section: provider name → settings.</summary>
public sealed class ProvidersOptions : Dictionary<string, ProviderOptions>
{
    public const string SectionName = "Providers";

    public ProvidersOptions() : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}
