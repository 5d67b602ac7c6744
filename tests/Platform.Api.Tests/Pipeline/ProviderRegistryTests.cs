using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Api.Providers;
using Platform.Api.Providers.Offline;

namespace Platform.Api.Tests.Pipeline;

public sealed class ProviderRegistryTests
{
    private static ProviderRegistry Build(ProvidersOptions providers)
    {
        // The registry only needs each provider's pipeline to exist; the offline client stands for all of them.
        var services = new ServiceCollection();
        foreach (var name in providers.Keys)
        {
            services.AddKeyedSingleton<IChatClient>(name, new OfflineChatClient(name));
        }
        return new ProviderRegistryFactory(Options.Create(providers), services.BuildServiceProvider(), NullLogger<ProviderRegistryFactory>.Instance).Create();
    }

    [Fact]
    public void AnAliasNeverHidesARealModelOfAnotherProvider()
    {
        var registry = Build(new ProvidersOptions
        {
            ["offline"] = new() { Type = "offline", Models = ["offline"], Aliases = new() { ["gpt-4o-mini"] = "offline" } },
            ["openai"] = new() { Type = "openai", ApiKey = "sk-test", Models = ["gpt-4o-mini"] },
        });

        Assert.True(registry.TryResolve("gpt-4o-mini", out var model));
        Assert.Equal("openai", model.ProviderName);
        Assert.True(registry.TryResolve("offline/gpt-4o-mini", out var alias));
        Assert.Equal("offline", alias.ProviderName);
        Assert.Equal("offline", alias.ModelId);
    }

    [Fact]
    public void ProviderQualifiedNamesAndSpansResolveToTheSameRoute()
    {
        var registry = Build(new ProvidersOptions { ["local"] = new() { Type = "offline", Models = ["m1"], Aliases = new() { ["fast"] = "m1" } } });

        Assert.True(registry.TryResolve("m1", out var bare));
        Assert.True(registry.TryResolve("local/m1".AsSpan(), out var qualified));
        Assert.True(registry.TryResolve("local/fast".AsSpan(), out var qualifiedAlias));
        Assert.Same(bare, qualified);
        Assert.Same(bare, qualifiedAlias);
        Assert.False(registry.TryResolve("other/m1", out _));
    }

    [Fact]
    public void OpenAIProviderWithoutKeyOrEndpointIsLeftOut()
    {
        var registry = Build(new ProvidersOptions
        {
            ["openai"] = new() { Type = "openai", Models = ["gpt-4o"] },
            ["offline"] = new() { Type = "offline", Models = ["offline"] },
        });

        Assert.False(registry.TryResolve("gpt-4o", out _));
        Assert.Equal(["offline"], registry.PublishedModels.Select(m => m.Id));
    }

    [Fact]
    public void AliasToAModelTheProviderDoesNotServeFailsAtStartUp()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new ProvidersOptions
        {
            ["offline"] = new() { Type = "offline", Models = ["offline"], Aliases = new() { ["x"] = "missing" } },
        }));

        Assert.Contains("Providers:offline:Aliases:x", error.Message);
    }

    [Fact]
    public void UnknownProviderTypeFailsAtStartUp()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new ProvidersOptions { ["x"] = new() { Type = "anthropic", Models = ["c"] } }));

        Assert.Contains("Providers:x:Type", error.Message);
    }
}
