using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Api.Chat;
using Platform.Api.Embeddings;
using Platform.Api.Infrastructure;
using Platform.Api.Providers;
using Platform.Data;
using Platform.Data.Entities;

namespace Platform.Api.Auth;

/// <summary>Admin operations on API keys. The secret is returned once, at creation; only its hash is kept.</summary>
public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/v1/admin/keys").RequireAuthorization(ApiClaims.AdminPolicy);
        keys.MapPost("/", CreateKey);
        keys.MapGet("/", ListKeys);
        keys.MapDelete("/{id:guid}", RevokeKey);
        return app;
    }

    public sealed record CreateKeyRequest(
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("tenant_id")] string? TenantId,
        [property: JsonPropertyName("scopes")] string[]? Scopes,
        [property: JsonPropertyName("models")] string[]? Models,
        [property: JsonPropertyName("requests_per_minute")] int? RequestsPerMinute,
        [property: JsonPropertyName("tokens_per_minute")] int? TokensPerMinute,
        [property: JsonPropertyName("budget_usd")] decimal? BudgetUsd,
        [property: JsonPropertyName("budget_period")] string? BudgetPeriod,
        [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt);

    public sealed record ApiKeyView(
        [property: JsonPropertyName("id")] Guid Id,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("tenant_id")] string TenantId,
        [property: JsonPropertyName("prefix")] string Prefix,
        [property: JsonPropertyName("scopes")] string[] Scopes,
        [property: JsonPropertyName("models")] string[] Models,
        [property: JsonPropertyName("requests_per_minute")] int? RequestsPerMinute,
        [property: JsonPropertyName("tokens_per_minute")] int? TokensPerMinute,
        [property: JsonPropertyName("budget_usd")] decimal? BudgetUsd,
        [property: JsonPropertyName("budget_period")] string? BudgetPeriod,
        [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
        [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
        [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt,
        [property: JsonPropertyName("key"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key = null)
    {
        public static ApiKeyView From(ApiKeyEntity e, string? key = null) =>
            new(e.Id, e.Name, e.TenantId, e.Prefix, e.Scopes, e.AllowedModels, e.RequestsPerMinute, e.TokensPerMinute,
                e.BudgetUsd, e.BudgetPeriod, e.CreatedAt, e.ExpiresAt, e.RevokedAt, key);
    }

    /// <summary>Admin bodies are a few fields; anything near this size is a mistake or an attack.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;
    public const string AdminLimit = "the limit for admin requests";

    /// <summary>Key names are labels for people: any printable text up to this length.</summary>
    public const int MaxNameLength = 100;

    /// <summary>
    /// Tenant ids end up in cache keys and tags, usage rows and logs: letters, digits and <c>- _ . :</c>,
    /// up to this length.
    /// </summary>
    public const int MaxTenantIdLength = 64;

    /// <summary>Enough for any real allow-list; every entry is checked against the served models.</summary>
    public const int MaxModels = 256;

    /// <summary>api_keys.budget_usd is numeric(20, 10): ten digits before the point.</summary>
    private const decimal MaxBudgetUsd = 9_999_999_999m;

    // The body is read by JsonRequestReader rather than bound as a parameter, so that every way it can be
    // wrong (not JSON, not UTF-8, wrong types, null, too large) is a 4xx naming the field.
    private static async Task<Results<Created<ApiKeyView>, OpenAIErrorResult>> CreateKey(
        HttpContext http, PlatformDbContext db, ProviderRegistry chatModels, EmbeddingModelRegistry embeddingModels,
        TimeProvider time, CancellationToken cancellationToken)
    {
        CreateKeyRequest request;
        var now = time.GetUtcNow();
        try
        {
            request = await JsonRequestReader.ReadAsync<CreateKeyRequest>(http, MaxRequestBodyBytes, AdminLimit);
            Validate(request, now, model => chatModels.TryResolve(model, out _) || embeddingModels.TryResolve(model, out _));
        }
        catch (ChatGatewayException e)
        {
            return OpenAIErrorResult.From(e);
        }

        var key = ApiKeyHasher.NewKey();
        var entity = new ApiKeyEntity
        {
            Id = Guid.CreateVersion7(),
            Name = request.Name!,
            TenantId = request.TenantId!,
            KeyHash = ApiKeyHasher.Hash(key),
            Prefix = key[..10],
            // No scopes given: every scope a key can have, as keys had before scopes were enforced.
            Scopes = request.Scopes?.Distinct(StringComparer.Ordinal).ToArray() ?? [.. ApiKeyScopes.All],
            AllowedModels = request.Models?.Distinct(StringComparer.Ordinal).ToArray() ?? [],
            RequestsPerMinute = request.RequestsPerMinute,
            TokensPerMinute = request.TokensPerMinute,
            BudgetUsd = request.BudgetUsd,
            // A budget without a period is monthly, the period prices and invoices are usually quoted in.
            BudgetPeriod = request.BudgetUsd is null ? null : request.BudgetPeriod ?? BudgetPeriod.Monthly.Name(),
            CreatedAt = now,
            ExpiresAt = request.ExpiresAt?.ToUniversalTime(),
        };
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/admin/keys/{entity.Id}", ApiKeyView.From(entity, key));
    }

    private static void Validate(CreateKeyRequest request, DateTimeOffset now, Func<string, bool> isServedModel)
    {
        RequestText.CheckName(request.Name, "name", maxLength: MaxNameLength);
        CheckTenantId(request.TenantId);
        if (request.Scopes is { } scopes)
        {
            if (scopes.Length == 0)
            {
                throw ChatGatewayException.BadRequest(
                    $"'scopes' must name at least one scope ({string.Join(", ", ApiKeyScopes.All)}); leave it out for all of them.", "scopes", "invalid_scope");
            }
            for (var i = 0; i < scopes.Length; i++)
            {
                var scope = RequestText.CheckName(scopes[i], $"scopes[{i}]")!;
                if (!ApiKeyScopes.IsKnown(scope))
                {
                    throw ChatGatewayException.BadRequest(
                        $"'scopes[{i}]' is '{scope}', which is not a scope; scopes are {string.Join(", ", ApiKeyScopes.All)} (admin operations use the admin key).",
                        $"scopes[{i}]", "invalid_scope");
                }
            }
        }
        if (request.Models is { } models)
        {
            if (models.Length > MaxModels)
            {
                throw ChatGatewayException.BadRequest($"'models' may list at most {MaxModels} models.", "models");
            }
            for (var i = 0; i < models.Length; i++)
            {
                var model = RequestText.CheckName(models[i], $"models[{i}]")!;
                if (!isServedModel(model))
                {
                    throw ChatGatewayException.BadRequest(
                        $"'models[{i}]' is '{model}', which this gateway does not serve; GET /v1/models lists the models it does.", $"models[{i}]", "model_not_found");
                }
            }
        }
        if (request.RequestsPerMinute is <= 0)
        {
            throw ChatGatewayException.BadRequest("'requests_per_minute' must be positive when given.", "requests_per_minute");
        }
        if (request.TokensPerMinute is <= 0)
        {
            throw ChatGatewayException.BadRequest("'tokens_per_minute' must be positive when given.", "tokens_per_minute");
        }
        if (request.BudgetUsd is <= 0 or > MaxBudgetUsd)
        {
            throw ChatGatewayException.BadRequest($"'budget_usd' must be positive and at most {MaxBudgetUsd} when given.", "budget_usd");
        }
        if (request.BudgetPeriod is { } period)
        {
            if (!BudgetPeriods.TryParse(period, out _))
            {
                throw ChatGatewayException.BadRequest($"'budget_period' must be one of {BudgetPeriods.Names}.", "budget_period");
            }
            if (request.BudgetUsd is null)
            {
                throw ChatGatewayException.BadRequest("'budget_period' needs 'budget_usd'.", "budget_period");
            }
        }
        if (request.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            throw ChatGatewayException.BadRequest($"'expires_at' must be in the future (now is {now:O}).", "expires_at");
        }
    }

    private static void CheckTenantId(string? tenantId)
    {
        RequestText.CheckName(tenantId, "tenant_id", maxLength: MaxTenantIdLength);
        foreach (var c in tenantId!)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':'))
            {
                throw ChatGatewayException.BadRequest(
                    $"'tenant_id' may contain only letters, digits, '-', '_', '.' and ':' (up to {MaxTenantIdLength} characters).", "tenant_id");
            }
        }
    }

    private static async Task<Ok<ApiKeyView[]>> ListKeys(PlatformDbContext db, CancellationToken cancellationToken)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(keys.Select(k => ApiKeyView.From(k)).ToArray());
    }

    private static async Task<Results<NoContent, JsonHttpResult<ApiErrorResponse>>> RevokeKey(
        Guid id, PlatformDbContext db, ApiKeyStore store, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
        {
            return TypedResults.Json(ApiError.Create($"No API key has id '{id}'.", param: "id", code: "not_found"), statusCode: 404);
        }
        key.RevokedAt ??= DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
        await store.ForgetEverywhereAsync(key.KeyHash);
        return TypedResults.NoContent();
    }
}
