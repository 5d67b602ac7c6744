using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Platform.Api.Pipeline;

namespace Platform.Api.Caching;

/// <summary>Decides from configuration whether a request may use the response cache, and for how long.</summary>
public sealed class ResponseCachePolicy(IOptionsMonitor<ResponseCacheOptions> options)
{
    public bool Applies(ChatRequestContext context, ChatOptions? chatOptions)
    {
        var current = options.CurrentValue;
        if (!current.Enabled || context.NoStore)
        {
            return false;
        }
        if (current.Models.Count > 0
            && !current.Models.Contains(context.ModelId, StringComparer.OrdinalIgnoreCase)
            && !current.Models.Contains(context.RequestedModel, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }
        return !current.OnlyDeterministic || chatOptions?.Temperature switch
        {
            null => current.UnsetTemperatureIsDeterministic,
            var temperature => temperature == 0f,
        };
    }

    public TimeSpan GetTtl(ChatRequestContext context)
    {
        var current = options.CurrentValue;
        return current.TtlPerModel.TryGetValue(context.ModelId, out var ttl) || current.TtlPerModel.TryGetValue(context.RequestedModel, out ttl)
            ? ttl
            : current.DefaultTtl;
    }
}
