using System.Security.Cryptography;
using System.Text;

namespace Platform.Api.Tools.Catalog;

/// <summary>
/// Gives every tool a name a model can call: <c>^[a-zA-Z0-9_-]{1,64}$</c> and unique across servers.
/// A name offered by one server only is kept (sanitized); a name several servers offer becomes
/// <c>{label}_{name}</c> on all of them, so the result depends on the set of tools, not on listing order.
/// </summary>
public static class ToolNaming
{
    public const int MaxLength = 64;

    public static Dictionary<(string Server, string Tool), string> Assign(IEnumerable<(string Server, string Tool)> tools)
    {
        var all = tools.Distinct().OrderBy(t => t.Server, StringComparer.Ordinal).ThenBy(t => t.Tool, StringComparer.Ordinal).ToList();
        var byPlainName = all.GroupBy(t => Sanitize(t.Tool), StringComparer.OrdinalIgnoreCase).ToList();

        var result = new Dictionary<(string, string), string>();
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // Unclashed names first so a prefixed name can never take a plain name away.
        foreach (var group in byPlainName.Where(g => g.Count() == 1))
        {
            var tool = group.Single();
            result[tool] = group.Key;
            taken.Add(group.Key);
        }
        foreach (var tool in byPlainName.Where(g => g.Count() > 1).SelectMany(g => g))
        {
            var candidate = Sanitize($"{tool.Server}_{tool.Tool}");
            if (!taken.Add(candidate))
            {
                candidate = WithHashSuffix(candidate, $"{tool.Server}\0{tool.Tool}");
                taken.Add(candidate);
            }
            result[tool] = candidate;
        }
        return result;
    }

    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!IsAllowed(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Replaces what OpenAI rejects with '_' and shortens long names keeping them distinct.</summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(IsAllowed(c) ? c : '_');
        }
        var sanitized = builder.Length == 0 ? "tool" : builder.ToString();
        return sanitized.Length <= MaxLength ? sanitized : WithHashSuffix(sanitized, name);
    }

    private static string WithHashSuffix(string name, string identity)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..8];
        var head = name.Length > MaxLength - 9 ? name[..(MaxLength - 9)] : name;
        return $"{head}_{hash}";
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}
