using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Api.Chat;
using Platform.Api.Infrastructure;
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

    /// <summary>Admin bodies are a few fields; anything near this size is a mistake or an attack.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;
    public const string AdminLimit = "the limit for admin requests";

    // The body is read by JsonRequestReader rather than bound as a parameter, so that every way it can be
    // wrong (not JSON, not UTF-8, wrong types, null, too large) is a 4xx naming the field.
    private static async Task<Results<Created<ApiKeyView>, OpenAIErrorResult>> CreateKey(
        HttpContext http, PlatformDbContext db, CancellationToken cancellationToken)
    {
        CreateKeyRequest request;
        try
        {
            request = await JsonRequestReader.ReadAsync<CreateKeyRequest>(http, MaxRequestBodyBytes, AdminLimit);
            Validate(request);
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
            Scopes = request.Scopes ?? [],
            RequestsPerMinute = request.RequestsPerMinute,
            TokensPerMinute = request.TokensPerMinute,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/admin/keys/{entity.Id}", ApiKeyView.From(entity, key));
    }

    private static void Validate(CreateKeyRequest request)
    {
        RequestText.CheckName(request.Name, "name");
        RequestText.CheckName(request.TenantId, "tenant_id");
        for (var i = 0; i < (request.Scopes?.Length ?? 0); i++)
        {
            RequestText.CheckName(request.Scopes![i], $"scopes[{i}]");
        }
        if (request.RequestsPerMinute is <= 0)
        {
            throw ChatGatewayException.BadRequest("'requests_per_minute' must be positive when given.", "requests_per_minute");
        }
        if (request.TokensPerMinute is <= 0)
        {
            throw ChatGatewayException.BadRequest("'tokens_per_minute' must be positive when given.", "tokens_per_minute");
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
