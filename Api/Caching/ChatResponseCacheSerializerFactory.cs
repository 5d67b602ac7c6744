using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;

namespace Platform.Api.Caching;

/// <summary>Hands <see cref="ChatResponseCacheSerializer"/> to the HybridCache for <see cref="ChatResponse"/>.</summary>
public sealed class ChatResponseCacheSerializerFactory : IHybridCacheSerializerFactory
{
    public bool TryCreateSerializer<T>([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IHybridCacheSerializer<T>? serializer)
    {
        serializer = typeof(T) == typeof(ChatResponse) ? (IHybridCacheSerializer<T>)(object)new ChatResponseCacheSerializer() : null;
        return serializer is not null;
    }
}
