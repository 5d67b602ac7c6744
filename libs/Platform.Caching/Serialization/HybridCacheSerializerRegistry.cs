using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Caching.Serialization;

/// <summary>
/// Finds the serializer for a type, in DefaultHybridCache's order: an <see cref="IHybridCacheSerializer{T}"/>
/// registered in DI, then the registered <see cref="IHybridCacheSerializerFactory"/>s (last registered first),
/// then the built-in string / byte[] fast paths, then System.Text.Json.
/// </summary>
public sealed class HybridCacheSerializerRegistry
{
    private static readonly JsonSerializerOptions DefaultJsonOptions = new(JsonSerializerDefaults.Web);

    private readonly IServiceProvider? _services;
    private readonly IHybridCacheSerializerFactory[] _factories;
    private readonly ConcurrentDictionary<Type, object> _serializers = new();

    public HybridCacheSerializerRegistry(IServiceProvider? services = null, IEnumerable<IHybridCacheSerializerFactory>? factories = null)
    {
        _services = services;
        _factories = (factories ?? []).Reverse().ToArray();
    }

    public IHybridCacheSerializer<T> Get<T>() =>
        (IHybridCacheSerializer<T>)_serializers.GetOrAdd(typeof(T), static (_, registry) => registry.Create<T>(), this);

    private object Create<T>()
    {
        if (_services?.GetService<IHybridCacheSerializer<T>>() is { } registered)
        {
            return registered;
        }
        foreach (var factory in _factories)
        {
            if (factory.TryCreateSerializer<T>(out var created))
            {
                return created;
            }
        }
        if (typeof(T) == typeof(string))
        {
            return new StringHybridCacheSerializer();
        }
        if (typeof(T) == typeof(byte[]))
        {
            return new ByteArrayHybridCacheSerializer();
        }
        return new JsonHybridCacheSerializer<T>(DefaultJsonOptions);
    }
}
