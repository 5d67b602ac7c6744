namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The names of the AppHost's resources, as the services read them from configuration
/// (<c>ConnectionStrings__{name}</c>, <c>services__{name}__http__0</c>). The AppHost compiles this
/// file too, so both sides use the same names.
/// </summary>
public static class ResourceNames
{
    public const string Redis = "redis";
    public const string Postgres = "postgres";
    public const string Database = "platformdb";
    public const string Api = "api";
    public const string Worker = "worker";
    public const string McpHost = "mcphost";

    /// <summary>Parameter holding the bearer token McpHost and the Api share.</summary>
    public const string McpTokenParameter = "mcp-token";

    /// <summary>Parameter holding the key for the Api's admin operations.</summary>
    public const string AdminKeyParameter = "admin-key";

    /// <summary>Parameter holding the model provider's API key.</summary>
    public const string ProviderKeyParameter = "openai-api-key";
}
