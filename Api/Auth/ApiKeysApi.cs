using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
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
        [property: JsonPropertyName("requests_per_minute")] int? RequestsPerMinute,
        [property: JsonPropertyName("tokens_per_minute")] int? TokensPerMinute);

    public sealed record ApiKeyView(
        [property: JsonPropertyName("id")] Guid Id,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("tenant_id")] string TenantId,
        [property: JsonPropertyName("prefix")] string Prefix,
        [property: JsonPropertyName("scopes")] string[] Scopes,
        [property: JsonPropertyName("requests_per_minute")] int? RequestsPerMinute,
        [property: JsonPropertyName("tokens_per_minute")] int? TokensPerMinute,
        [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
        [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt,
        [property: JsonPropertyName("key"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key = null)
    {
        public static ApiKeyView From(ApiKeyEntity e, string? key = null) =>
            new(e.Id, e.Name, e.TenantId, e.Prefix, e.Scopes, e.RequestsPerMinute, e.TokensPerMinute, e.CreatedAt, e.RevokedAt, key);
    }

    private static async Task<Results<Created<ApiKeyView>, JsonHttpResult<ApiErrorResponse>>> CreateKey(
        CreateKeyRequest request, PlatformDbContext db, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return TypedResults.Json(ApiError.Create("'name' is required.", param: "name"), statusCode: 400);
        }
        if (string.IsNullOrWhiteSpace(request.TenantId))
        {
            return TypedResults.Json(ApiError.Create("'tenant_id' is required.", param: "tenant_id"), statusCode: 400);
        }
        if (request.RequestsPerMinute is <= 0 || request.TokensPerMinute is <= 0)
        {
            return TypedResults.Json(ApiError.Create("Limits must be positive when given.", param: "requests_per_minute"), statusCode: 400);
        }

        var key = ApiKeyHasher.NewKey();
        var entity = new ApiKeyEntity
        {
            Id = Guid.CreateVersion7(),
            Name = request.Name,
            TenantId = request.TenantId,
            KeyHash = ApiKeyHasher.Hash(key),
            Prefix = key[..10],
            Scopes = request.Scopes ?? [],
            RequestsPerMinute = request.RequestsPerMinute,
            TokensPerMinute = request.TokensPerMinute,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/admin/keys/{entity.Id}", ApiKeyView.From(entity, key));
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
