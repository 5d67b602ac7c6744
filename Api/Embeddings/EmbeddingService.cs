using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Net.Http.Headers;
using Platform.Api.Auth;
using Platform.Api.Caching;
using Platform.Api.Chat;
using Platform.Api.Pipeline;
using Platform.Api.Providers.OpenAICompatible;
using Platform.Usage;

namespace Platform.Api.Embeddings;

/// <summary>The vectors of one request, what they cost, and whether the response cache answered.</summary>
public sealed record EmbeddingResult(IReadOnlyList<ReadOnlyMemory<float>> Vectors, int PromptTokens, string CacheStatus);

/// <summary>
/// Runs an embeddings request through its model's generator, with the chat answers' response-cache
/// policy (tenant-scoped key, <c>Cache-Control: no-cache</c>/<c>no-store</c>, TTL per model, the same
/// tags) and usage capture: one record per provider call, and one per cache hit with the tokens it saved.
/// </summary>
public sealed class EmbeddingService(HybridCache cache, ResponseCachePolicy policy, IUsageSink usage, ILogger<EmbeddingService> logger)
{
    private const HybridCacheEntryFlags SkipRead = HybridCacheEntryFlags.DisableLocalCacheRead | HybridCacheEntryFlags.DisableDistributedCacheRead;

    public async Task<EmbeddingResult> GenerateAsync(HttpContext http, ParsedEmbeddingRequest request, EmbeddingRoute route)
    {
        var started = Stopwatch.GetTimestamp();
        var cancellationToken = http.RequestAborted;
        var (noCache, noStore) = ReadCacheDirectives(http.Request);
        if (!policy.Applies(route.ModelId, request.Model, noStore))
        {
            var (vectors, tokens) = await CallProviderAsync(http, request, route, cancellationToken);
            return new EmbeddingResult(vectors, tokens, ResponseCachingChatClient.Bypass);
        }

        var tenant = ChatRequestContextFactory.ResolveTenant(http.User);
        var ttl = policy.GetTtl(route.ModelId, request.Model);
        var call = new ProviderCall(this, http, request, route);
        var entry = await cache.GetOrCreateAsync(
            EmbeddingCacheEntry.Key(tenant, route, request),
            call,
            static (call, token) => call.InvokeAsync(token),
            new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl, Flags = noCache ? SkipRead : HybridCacheEntryFlags.None },
            [ResponseCacheTags.Tenant(tenant), ResponseCacheTags.Model(route.ModelId), ResponseCacheTags.Provider(route.ProviderName)],
            cancellationToken);
        if (call.Result is { } fresh)
        {
            return new EmbeddingResult(fresh.Vectors, fresh.PromptTokens, ResponseCachingChatClient.Miss);
        }
        // Served from the cache, or by another caller's call for the same key: this caller paid for nothing.
        var cached = EmbeddingCacheEntry.Read(entry);
        Record(http, route, cached.PromptTokens, started, UsageRecordStatus.Ok, cacheHit: true);
        return new EmbeddingResult(cached.Vectors, cached.PromptTokens, ResponseCachingChatClient.Hit);
    }

    /// <summary>One provider call, recorded whatever its outcome; provider failures become <see cref="Providers.UpstreamProviderException"/>.</summary>
    private async Task<(IReadOnlyList<ReadOnlyMemory<float>> Vectors, int PromptTokens)> CallProviderAsync(
        HttpContext http, ParsedEmbeddingRequest request, EmbeddingRoute route, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var options = new EmbeddingGenerationOptions { ModelId = route.ModelId, Dimensions = request.Dimensions };
        if (request.User is { } user)
        {
            // The end-user id OpenAI takes for abuse monitoring; the package maps only the options it knows.
            options.RawRepresentationFactory = _ => new OpenAI.Embeddings.EmbeddingGenerationOptions { EndUserId = user };
        }
        GeneratedEmbeddings<Embedding<float>> generated;
        try
        {
            generated = await route.Generator.GenerateAsync(request.Inputs, options, cancellationToken);
        }
        catch (Exception e)
        {
            var status = e is OperationCanceledException && cancellationToken.IsCancellationRequested ? UsageRecordStatus.Cancelled : UsageRecordStatus.Error(e);
            Record(http, route, 0, started, status, cacheHit: false);
            if (UpstreamErrorTranslator.Translate(route.ProviderName, e, cancellationToken) is { } translated)
            {
                logger.LogWarning(e, "Embeddings request {RequestId} for {Provider}/{Model} failed.", http.GetRequestId(), route.ProviderName, route.ModelId);
                throw translated;
            }
            throw;
        }
        var tokens = (int)Math.Clamp(generated.Usage?.InputTokenCount ?? 0, 0, int.MaxValue);
        Record(http, route, tokens, started, UsageRecordStatus.Ok, cacheHit: false);
        if (generated.Count != request.Inputs.Count)
        {
            throw new Providers.UpstreamProviderException(route.ProviderName, null, false,
                $"Provider '{route.ProviderName}' returned {generated.Count} embeddings for {request.Inputs.Count} inputs.");
        }
        return (generated.Select(e => e.Vector).ToList(), tokens);
    }

    private void Record(HttpContext http, EmbeddingRoute route, int promptTokens, long started, string status, bool cacheHit)
    {
        var createdAt = DateTimeOffset.UtcNow;
        usage.Record(new UsageRecord
        {
            Id = Guid.CreateVersion7(createdAt),
            RequestId = http.GetRequestId(),
            ApiKeyId = http.User.GetApiKeyId(),
            TenantId = http.User.FindFirst(ApiClaims.TenantId)?.Value ?? ChatRequestContextFactory.ResolveTenant(http.User),
            Provider = route.ProviderName,
            // The record has no kind: the model name is what tells an embeddings call from a chat call.
            Model = route.ModelId,
            InputTokens = cacheHit ? 0 : promptTokens,
            CacheHit = cacheHit,
            TokensSaved = cacheHit ? promptTokens : 0,
            LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            Status = status,
            CreatedAt = createdAt,
        });
    }

    private static (bool NoCache, bool NoStore) ReadCacheDirectives(HttpRequest request) =>
        request.Headers.CacheControl.Count > 0 && CacheControlHeaderValue.TryParse(request.Headers.CacheControl.ToString(), out var parsed)
            ? (parsed.NoCache || parsed.NoStore, parsed.NoStore)
            : (false, false);

    /// <summary>The cache's factory state: the call this caller made itself, if the cache asked it to.</summary>
    private sealed class ProviderCall(EmbeddingService owner, HttpContext http, ParsedEmbeddingRequest request, EmbeddingRoute route)
    {
        public (IReadOnlyList<ReadOnlyMemory<float>> Vectors, int PromptTokens)? Result { get; private set; }

        public async ValueTask<byte[]> InvokeAsync(CancellationToken cancellationToken)
        {
            var result = await owner.CallProviderAsync(http, request, route, cancellationToken);
            Result = result;
            return EmbeddingCacheEntry.Write(result.Vectors, result.PromptTokens);
        }
    }
}
