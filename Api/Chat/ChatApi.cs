using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Api.Auth;
using Platform.Api.Chat;
using Platform.Api.Chat.Wire;
using Platform.Api.Embeddings;
using Platform.Api.Infrastructure;
using Platform.Api.Pipeline;
using Platform.Api.Providers;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The OpenAI-compatible endpoints: <c>POST /v1/chat/completions</c> and <c>GET /v1/models</c>.</summary>
public static class ChatApi
{
    public static WebApplication MapChatApi(this WebApplication app)
    {
        var api = app.MapGroup("/v1").WithTags("Chat").RequireAuthorization(ApiClaims.CallerPolicy);
        var limits = app.Services.GetRequiredService<IOptions<ChatGatewayOptions>>().Value;
        api.MapPost("/chat/completions", CreateChatCompletionAsync)
            .RequireAuthorization(ApiKeyScopes.ChatPolicy).RequireTokenQuota().WithRequestBodyLimit(limits.MaxRequestBodyBytes);
        api.MapGet("/models", ListModels);
        return app;
    }

    public static async Task<Results<ChatCompletionResult, OpenAIErrorResult>> CreateChatCompletionAsync(
        HttpContext http,
        ProviderRegistry registry,
        ChatRequestContextFactory contexts,
        IChatRequestContextAccessor accessor,
        IOptions<ChatGatewayOptions> options,
        ILogger<ChatCompletionResult> logger)
    {
        try
        {
            var wire = await ChatRequestReader.ReadAsync(http, options.Value.MaxRequestBodyBytes);
            ChatRequestLimits.Check(wire, options.Value);
            var request = ChatRequestMapper.Map(wire);
            if (!registry.TryResolve(request.Model, out var route))
            {
                throw new ChatGatewayException(StatusCodes.Status404NotFound,
                    $"The model '{request.Model}' does not exist or is not configured on this gateway; GET /v1/models lists the models it serves.",
                    "model", "model_not_found");
            }
            ApiKeyModelAccess.EnsureAllowed(http, request.Model, route, name => registry.TryResolve(name, out var allowed) ? allowed : null);
            var context = contexts.Create(http, http.GetRequestId(), request.Model, route, request.Stream, request.ExtensionTools);
            return new ChatCompletionResult(request, route, context, accessor, logger);
        }
        catch (ChatGatewayException e)
        {
            return OpenAIErrorResult.From(e);
        }
    }

    /// <summary>Chat models, then the embedding models that are not also chat models (as OpenAI lists both).</summary>
    public static JsonHttpResult<ModelList> ListModels(ProviderRegistry registry, EmbeddingModelRegistry embeddings) => TypedResults.Json(new ModelList
    {
        Data = registry.PublishedModels.Concat(embeddings.PublishedModels).DistinctBy(m => m.Id)
            .Select(m => new WireModel { Id = m.Id, OwnedBy = m.ProviderName }).ToList(),
    }, ChatWireJsonContext.Default.ModelList);
}
