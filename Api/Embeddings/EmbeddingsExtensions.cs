using Platform.Api.Embeddings;

namespace Microsoft.Extensions.Hosting;

public static class EmbeddingsExtensions
{
    /// <summary>The embedding models of every provider, the service behind <c>POST /v1/embeddings</c>, and its limits.</summary>
    public static IHostApplicationBuilder AddEmbeddings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmbeddingsOptions>().BindConfiguration(EmbeddingsOptions.SectionName);
        builder.Services.AddSingleton<EmbeddingModelRegistryFactory>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EmbeddingModelRegistryFactory>().Create());
        builder.Services.AddSingleton<EmbeddingService>();
        return builder;
    }
}
