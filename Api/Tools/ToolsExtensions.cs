using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.Api.Embeddings;
using Platform.Api.Pipeline;
using Platform.Api.Tools.Catalog;
using Platform.Api.Tools.Chat;
using Platform.Api.Tools.Persistence;
using Platform.Api.Tools.Search;
using Platform.Api.Tools;
using Platform.Api.Tools.Sessions;

namespace Microsoft.Extensions.Hosting;

public static class ToolsExtensions
{
    /// <summary>
    /// The MCP tool catalog, search, session pool, the selection of a request's MCP tools (run by the chat
    /// pipeline's function invocation) and their background work.
    /// </summary>
    public static IHostApplicationBuilder AddMcpTools(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<McpOptions>().BindConfiguration(McpOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();

        services.AddSingleton<McpMetrics>();
        services.AddSingleton<McpClientFactory>();
        services.AddMcpHttpClient();
        services.AddSingleton<McpSessionPools>();
        services.AddSingleton<ToolCatalogStore>();
        services.AddSingleton<ToolCatalog>();
        services.AddSingleton<ToolSearchService>();
        services.AddSingleton<McpToolInvoker>();
        services.AddSingleton<McpToolSelector>();
        // Tool search embeds with a model the gateway serves (POST /v1/embeddings has the same generators),
        // or, when none is named, with the local hashing embedding the offline provider uses.
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
        {
            var embeddings = sp.GetRequiredService<IOptions<McpOptions>>().Value.Embeddings;
            if (string.IsNullOrWhiteSpace(embeddings.Model))
            {
                return new LocalHashingEmbeddingGenerator();
            }
            return sp.GetRequiredService<EmbeddingModelRegistry>().TryResolve(embeddings.Model, out var route)
                ? new BatchingEmbeddingGenerator(route.Generator, embeddings.BatchSize)
                : throw new InvalidOperationException(
                    $"Mcp:Embeddings:Model is '{embeddings.Model}', which no provider serves; list it in Providers:<name>:EmbeddingModels.");
        });

        services.AddHostedService<ToolCatalogRefresher>();
        services.AddHostedService<McpSessionSweeper>();
        services.AddHealthChecks().AddCheck<McpServersHealthCheck>("mcp-servers");

        return builder;
    }

    /// <summary>Maps <c>/v1/tools</c>.</summary>
    public static WebApplication MapMcpTools(this WebApplication app)
    {
        app.MapToolsApi();
        return app;
    }
}
