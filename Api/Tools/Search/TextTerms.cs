namespace Platform.Api.Tools.Search;

/// <summary>
/// Splits tool names, descriptions and queries into comparable terms: lower case, split on anything
/// that is not a letter or digit and at camelCase / snake_case boundaries, with a light suffix strip
/// so that "converting", "converts" and "convert" meet.
/// </summary>
public static class TextTerms
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "be", "me", "my", "i", "it", "its",
        "what", "how", "which", "with", "by", "at", "as", "from", "this", "that", "please", "can", "you", "do", "into",
        "give", "get", "tool", "some", "use", "using",
    };

    public static List<string> Split(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return terms;
        }
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var boundary = i == text.Length || !char.IsLetterOrDigit(text[i])
                || (i > 0 && char.IsUpper(text[i]) && char.IsLower(text[i - 1]));
            if (boundary && start >= 0)
            {
                terms.Add(Normalize(text.AsSpan(start, i - start)));
                start = -1;
            }
            if (i < text.Length && char.IsLetterOrDigit(text[i]) && start < 0)
            {
                start = i;
            }
        }
        return terms;
    }

    /// <summary>Distinct terms worth matching literally (stop words dropped).</summary>
    public static string[] Keywords(string? text) =>
        Split(text).Where(t => t.Length > 1 && !StopWords.Contains(t)).Distinct(StringComparer.Ordinal).ToArray();

    private static string Normalize(ReadOnlySpan<char> word)
    {
        Span<char> lower = stackalloc char[Math.Min(word.Length, 64)];
        var length = word[..lower.Length].ToLowerInvariant(lower);
        var term = lower[..length];
        if (term.Length > 5 && term.EndsWith("ing"))
        {
            term = term[..^3];
        }
        else if (term.Length > 4 && term.EndsWith("ed"))
        {
            term = term[..^2];
        }
        else if (term.Length > 4 && term.EndsWith("es"))
        {
            term = term[..^2];
        }
        else if (term.Length > 3 && term.EndsWith('s') && !term.EndsWith("ss"))
        {
            term = term[..^1];
        }
        return term.ToString();
    }

    /// <summary>FNV-1a: stable across processes (string.GetHashCode is randomized), so stored embeddings stay valid.</summary>
    public static uint Hash(ReadOnlySpan<char> text, uint seed = 2166136261)
    {
        var hash = seed;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619;
        }
        return hash;
    }
}
