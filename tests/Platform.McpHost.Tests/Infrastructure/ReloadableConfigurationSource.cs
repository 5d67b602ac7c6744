using Microsoft.Extensions.Configuration;

namespace Platform.McpHost.Tests.Infrastructure;

/// <summary>A configuration source the test can change while the host runs, as a reloaded appsettings.json would.</summary>
public sealed class ReloadableConfigurationSource : IConfigurationSource
{
    public Provider Current { get; } = new();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => Current;

    public sealed class Provider : ConfigurationProvider
    {
        public void SetAndReload(IReadOnlyDictionary<string, string?> values)
        {
            foreach (var key in Data.Keys.Where(k => values.Keys.Any(v => k.StartsWith(v, StringComparison.OrdinalIgnoreCase))).ToList())
            {
                Data.Remove(key);
            }
            foreach (var (key, value) in values)
            {
                Data[key] = value;
            }
            OnReload();
        }
    }
}
