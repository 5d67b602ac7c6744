using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Platform.Api.Pipeline;

namespace Platform.Api.Caching;

/// <summary>Decides from configuration whether a request (chat or embeddings) may use the response cache, and for how long.</summary>
public sealed class ResponseCachePolicy(IOptionsMonitor<ResponseCacheOptions> options)
{
    public bool Applies(ChatRequestContext context, ChatOptions? chatOptions) =>
        Applies(context.ModelId, context.RequestedModel, context.NoStore)
        && (!options.CurrentValue.OnlyDeterministic || chatOptions?.Temperature switch
        {
            // An unset temperature is the provider's default, which is not deterministic unless configured so.
            null => options.CurrentValue.UnsetTemperatureIsDeterministic,
            var temperature => temperature == 0f,
        });

    /// <summary>Whether answers of the model (as sent to the provider, or as the client named it) may be cached at all.</summary>
    public bool Applies(string modelId, string requestedModel, bool noStore)
    {
        var current = options.CurrentValue;
        if (!current.Enabled || noStore)
        {
            return false;
        }
        return current.Models.Count == 0
            || current.Models.Contains(modelId, StringComparer.OrdinalIgnoreCase)
            || current.Models.Contains(requestedModel, StringComparer.OrdinalIgnoreCase);
    }

    public TimeSpan GetTtl(ChatRequestContext context) => GetTtl(context.ModelId, context.RequestedModel);

    public TimeSpan GetTtl(string modelId, string requestedModel)
    {
        var current = options.CurrentValue;
        return current.TtlPerModel.TryGetValue(modelId, out var ttl) || current.TtlPerModel.TryGetValue(requestedModel, out ttl)
            ? ttl
            : current.DefaultTtl;
    }
}
