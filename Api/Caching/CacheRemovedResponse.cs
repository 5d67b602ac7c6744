using System.Text.Json.Serialization;

namespace Platform.Api.Caching;

/// <summary>Body of <c>DELETE /v1/cache</c>: the tag that was invalidated ("*" for everything).</summary>
public sealed record CacheRemovedResponse([property: JsonPropertyName("removed_tag")] string RemovedTag);
