using System.Collections.Frozen;

namespace Platform.Api.Auth;

/// <summary>
/// What a key may call. Each scope has an authorization policy of the same name with a "scope:" prefix,
/// which the endpoints name in <c>RequireAuthorization</c>. Admin is not a scope: it is the separate admin key.
/// </summary>
public static class ApiKeyScopes
{
    public const string Chat = "chat";
    public const string Embeddings = "embeddings";
    public const string Tools = "tools";
    public const string UsageRead = "usage:read";

    public const string ChatPolicy = PolicyPrefix + Chat;
    public const string EmbeddingsPolicy = PolicyPrefix + Embeddings;
    public const string ToolsPolicy = PolicyPrefix + Tools;
    public const string UsageReadPolicy = PolicyPrefix + UsageRead;

    private const string PolicyPrefix = "scope:";

    /// <summary>Every scope, in the order listings show them; also what a new key gets when none are given.</summary>
    public static readonly string[] All = [Chat, Embeddings, Tools, UsageRead];

    private static readonly FrozenSet<string> Known = All.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsKnown(string scope) => Known.Contains(scope);

    public static string PolicyFor(string scope) => PolicyPrefix + scope;
}
