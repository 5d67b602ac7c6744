using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Platform.Api.Auth;
using Platform.Api.Chat;
using Platform.Api.Embeddings.Wire;
using Platform.Api.Infrastructure;
using Platform.Api.Providers;

namespace Platform.Api.Embeddings;

/// <summary><c>POST /v1/embeddings</c>: OpenAI's embeddings endpoint over Microsoft.Extensions.AI's <c>IEmbeddingGenerator</c>.</summary>
public static class EmbeddingsApi
{
    public const string LimitSetting = "Embeddings:MaxRequestBodyBytes";

    public static IEndpointRouteBuilder MapEmbeddingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1").WithTags("Embeddings").RequireAuthorization(ApiKeyScopes.EmbeddingsPolicy);
        api.MapPost("/embeddings", CreateEmbeddingsAsync).RequireTokenQuota()
            .WithRequestBodyLimit(app.ServiceProvider.GetRequiredService<IOptions<EmbeddingsOptions>>().Value.MaxRequestBodyBytes);
        return app;
    }

    public static async Task<Results<EmbeddingsResult, OpenAIErrorResult>> CreateEmbeddingsAsync(
        HttpContext http, EmbeddingModelRegistry registry, EmbeddingService embeddings, IOptions<EmbeddingsOptions> options, ILogger<EmbeddingService> logger)
    {
        try
        {
            var wire = await JsonRequestReader.ReadAsync(http, EmbeddingsJsonContext.Default.EmbeddingRequest, options.Value.MaxRequestBodyBytes, LimitSetting);
            var request = EmbeddingRequestMapper.Map(wire, options.Value);
            if (!registry.TryResolve(request.Model, out var route))
            {
                throw new ChatGatewayException(StatusCodes.Status404NotFound,
                    $"The embedding model '{request.Model}' does not exist or is not configured on this gateway; GET /v1/models lists the models it serves.",
                    "model", "model_not_found");
            }
            ApiKeyModelAccess.EnsureAllowed(http, request.Model, route, name => registry.TryResolve(name, out var allowed) ? allowed : null);
            var result = await embeddings.GenerateAsync(http, request, route);
            return new EmbeddingsResult(result, request.Model, request.Base64);
        }
        catch (Exception e) when (e is ChatGatewayException or UpstreamProviderException)
        {
            if (e is UpstreamProviderException)
            {
                // The caller is told only the upstream status; what the provider said is for the operator.
                logger.LogWarning(e, "Embeddings request {RequestId} failed upstream.", http.GetRequestId());
            }
            return OpenAIErrorResult.From(ChatErrorTranslator.Translate(e));
        }
    }
}
