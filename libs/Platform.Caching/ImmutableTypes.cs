using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Platform.Caching;

/// <summary>
/// Decides whether a cached value may be handed to several callers as the same instance. Like
/// DefaultHybridCache: strings, blittable structs and sealed types marked [ImmutableObject(true)];
/// every other type gets a fresh deserialized copy per caller, so one caller's mutation never leaks.
/// </summary>
internal static class ImmutableTypes
{
    private static readonly ConcurrentDictionary<Type, bool> Known = new();

    public static bool IsImmutable<T>() =>
        !RuntimeHelpers.IsReferenceOrContainsReferences<T>() || Known.GetOrAdd(typeof(T), Inspect);

    private static bool Inspect(Type type)
    {
        if (type == typeof(string))
        {
            return true;
        }
        var attribute = type.GetCustomAttribute<ImmutableObjectAttribute>();
        return attribute is { Immutable: true } && (type.IsSealed || type.IsValueType);
    }
}
