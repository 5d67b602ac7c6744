using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelContextProtocol.Protocol;

namespace Platform.McpHost.Tools;

internal sealed partial class TextStatisticsTool() : HostTool(
    "text_statistics",
    "Text statistics",
    "Counts characters, words, lines, sentences and paragraphs of a text, estimates reading time (at a given words-per-minute, default 238) " +
    "and lists the most frequent words (case-insensitive; optionally without common English stop words).",
    """
    {
      "type": "object",
      "properties": {
        "text": { "type": "string", "maxLength": 1000000 },
        "topWords": { "type": "integer", "minimum": 0, "maximum": 100, "default": 10, "description": "How many frequent words to list." },
        "excludeStopWords": { "type": "boolean", "default": true },
        "wordsPerMinute": { "type": "integer", "minimum": 50, "maximum": 1000, "default": 238 }
      },
      "required": ["text"],
      "additionalProperties": false
    }
    """,
    """
    {
      "type": "object",
      "properties": {
        "characters": { "type": "integer" },
        "charactersExcludingWhitespace": { "type": "integer" },
        "words": { "type": "integer" },
        "uniqueWords": { "type": "integer" },
        "lines": { "type": "integer" },
        "sentences": { "type": "integer" },
        "paragraphs": { "type": "integer" },
        "averageWordLength": { "type": "number" },
        "readingTimeSeconds": { "type": "integer" },
        "topWords": { "type": "array", "items": { "type": "object", "properties": { "word": { "type": "string" }, "count": { "type": "integer" } }, "required": ["word", "count"] } }
      },
      "required": ["characters", "words", "lines", "sentences", "readingTimeSeconds", "topWords"]
    }
    """)
{
    private const int MaxTextLength = 1_000_000;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he", "her", "his", "i", "in", "is", "it",
        "its", "of", "on", "or", "she", "so", "that", "the", "their", "them", "they", "this", "to", "was", "we", "were", "will", "with", "you",
    };

    protected override CallToolResult Invoke(ToolArguments arguments)
    {
        var text = arguments.GetString("text");
        if (text.Length > MaxTextLength)
        {
            throw new ToolArgumentException($"'text' is longer than {MaxTextLength} characters.");
        }
        var top = arguments.GetInt("topWords", 10, 0, 100);
        var excludeStopWords = arguments.GetBool("excludeStopWords", true);
        var wordsPerMinute = arguments.GetInt("wordsPerMinute", 238, 50, 1000);

        var words = WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToList();
        var frequencies = words
            .Where(w => !excludeStopWords || !StopWords.Contains(w))
            .CountBy(w => w)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(top);

        return Structured(new JsonObject
        {
            ["characters"] = text.Length,
            ["charactersExcludingWhitespace"] = text.Count(c => !char.IsWhiteSpace(c)),
            ["words"] = words.Count,
            ["uniqueWords"] = words.Distinct(StringComparer.Ordinal).Count(),
            ["lines"] = text.Length == 0 ? 0 : text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Length,
            ["sentences"] = SentencePattern().Matches(text).Count,
            ["paragraphs"] = ParagraphSeparator().Split(text.Trim()).Count(p => p.Trim().Length > 0),
            ["averageWordLength"] = words.Count == 0 ? 0 : Math.Round(words.Average(w => w.Length), 2),
            ["readingTimeSeconds"] = (int)Math.Ceiling(words.Count * 60.0 / wordsPerMinute),
            ["topWords"] = new JsonArray([.. frequencies.Select(p => (JsonNode)new JsonObject { ["word"] = p.Key, ["count"] = p.Value })]),
        });
    }

    // Letters and digits, with inner apostrophes and hyphens (don't, well-known).
    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*")]
    private static partial Regex WordPattern();

    // A run of text ending in . ! ? (or the end of the text) that contains at least one letter or digit.
    [GeneratedRegex(@"[^.!?]*[\p{L}\p{N}][^.!?]*(?:[.!?]+|$)")]
    private static partial Regex SentencePattern();

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex ParagraphSeparator();
}
