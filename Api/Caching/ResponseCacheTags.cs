namespace Platform.Api.Caching;

/// <summary>
/// Tags put on cached answers; <c>DELETE /v1/cache?tag=</c> takes these strings
/// (e.g. <c>tenant:anonymous</c>, <c>model:offline</c>, <c>provider:offline</c>).
/// </summary>
public static class ResponseCacheTags
{
    public static string Tenant(string tenantId) => "tenant:" + tenantId;

    public static string Model(string modelId) => "model:" + modelId;

    public static string Provider(string providerName) => "provider:" + providerName;
}
