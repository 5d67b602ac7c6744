using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Api.Providers;
using Platform.Api.Providers.Offline;
using Platform.Api.Routing;

namespace Platform.Api.Tests.Pipeline;

public sealed class ProviderRegistryTests
{
    private static ProviderRegistry Build(ProvidersOptions providers, RoutingOptions? routing = null)
    {
        // The registry only needs each provider's pipeline to exist; the offline client stands for all of them.
        var services = new ServiceCollection();
        foreach (var name in providers.Keys)
        {
            services.AddKeyedSingleton<IChatClient>(name, new OfflineChatClient(name));
        }
        return new ProviderRegistryFactory(Options.Create(providers), services.BuildServiceProvider(), NullLogger<ProviderRegistryFactory>.Instance,
            routing is null ? null : Options.Create(routing)).Create();
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

    [Fact]
    public void AModelTwoProvidersListHasADeploymentOnEachAndEachProviderKeepsItsQualifiedName()
    {
        var registry = Build(new ProvidersOptions
        {
            ["east"] = new() { Type = "offline", Models = ["m"] },
            ["west"] = new() { Type = "offline", Models = ["m"] },
        });

        Assert.True(registry.TryResolve("m", out var both));
        Assert.Equal(["east", "west"], both.Deployments.Candidates.Select(d => d.Name));
        Assert.True(registry.TryResolve("west/m", out var west));
        Assert.Equal("west", Assert.Single(west.Deployments.Candidates).ProviderName);
        Assert.Same(both.Deployments.Candidates[1], west.Deployments.Candidates[0]);
        Assert.Equal(["m"], registry.PublishedModels.Select(m => m.Id));
    }

    [Fact]
    public void ConfiguredDeploymentsReplaceTheListedOnesWithTheirWeightsPrioritiesAndUpstreamNames()
    {
        var registry = Build(
            new ProvidersOptions
            {
                ["east"] = new() { Type = "offline", Models = ["m"] },
                ["west"] = new() { Type = "offline" },
            },
            new RoutingOptions
            {
                Models =
                {
                    ["m"] = new()
                    {
                        Aliases = ["fast"],
                        Deployments =
                        [
                            new() { Name = "w1", Provider = "west", Model = "m-west", Weight = 3 },
                            new() { Name = "e1", Provider = "east", Priority = 1 },
                        ],
                    },
                },
            });

        Assert.True(registry.TryResolve("fast", out var route));
        Assert.Equal("m", route.ModelId);
        Assert.Equal("west", route.ProviderName);
        Assert.Equal([["w1"], ["e1"]], route.Deployments.Tiers.Select(t => t.Select(d => d.Name).ToArray()));
        Assert.Equal("m-west", route.Deployments.Primary.UpstreamModel);
        Assert.Equal(3, route.Deployments.Primary.Weight);
    }

    [Fact]
    public void ADeploymentOnAnUnknownProviderFailsAtStartUpNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(
            new ProvidersOptions { ["east"] = new() { Type = "offline", Models = ["m"] } },
            new RoutingOptions { Models = { ["m"] = new() { Deployments = [new() { Provider = "nowhere" }] } } }));

        Assert.Contains("Routing:Models:m:Deployments:0:Provider", error.Message);
        Assert.Contains("nowhere", error.Message);
    }

    [Fact]
    public void AFallbackToAModelNobodyServesFailsAtStartUp()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(
            new ProvidersOptions { ["east"] = new() { Type = "offline", Models = ["m"] } },
            new RoutingOptions { Models = { ["m"] = new() { Fallbacks = ["ghost"] } } }));

        Assert.Contains("Routing:Models:m:Fallbacks", error.Message);
        Assert.Contains("ghost", error.Message);
    }

    [Fact]
    public void AZeroWeightFailsAtStartUp()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(
            new ProvidersOptions { ["east"] = new() { Type = "offline", Models = ["m"] } },
            new RoutingOptions { Models = { ["m"] = new() { Deployments = [new() { Provider = "east", Weight = 0 }] } } }));

        Assert.Contains("Routing:Models:m:Deployments:0:Weight", error.Message);
    }
}
