using System.Text.Json.Nodes;

namespace Platform.McpHost.Tools.JsonPath;

/// <summary>
/// A JSONPath subset (RFC 9535 style): <c>$</c>, <c>.name</c>, <c>['name']</c>, <c>[0]</c>, <c>[-1]</c>,
/// <c>[0,2]</c>, <c>[1:3]</c>, <c>[*]</c>, <c>.*</c>, <c>..name</c>, <c>..*</c> and filters
/// <c>[?(@.price &lt; 10)]</c>, <c>[?(@.isbn)]</c> with == != &lt; &lt;= &gt; &gt;=.
/// </summary>
internal sealed class JsonPathQuery
{
    private readonly IReadOnlyList<JsonPathSegment> _segments;

    private JsonPathQuery(IReadOnlyList<JsonPathSegment> segments) => _segments = segments;

    public static JsonPathQuery Parse(string path) => new(JsonPathParser.Parse(path));

    public IReadOnlyList<JsonPathMatch> Evaluate(JsonNode? root)
    {
        IReadOnlyList<JsonPathMatch> current = [new JsonPathMatch("$", root)];
        foreach (var segment in _segments)
        {
            var next = new List<JsonPathMatch>();
            foreach (var match in current)
            {
                if (segment.Descendant)
                {
                    foreach (var node in SelfAndDescendants(match))
                    {
                        segment.Selector.Select(node, next);
                    }
                }
                else
                {
                    segment.Selector.Select(match, next);
                }
            }
            current = next;
        }
        return current;
    }

    private static IEnumerable<JsonPathMatch> SelfAndDescendants(JsonPathMatch match)
    {
        yield return match;
        var children = new List<JsonPathMatch>();
        JsonPathSelector.Wildcard.Select(match, children);
        foreach (var child in children)
        {
            foreach (var descendant in SelfAndDescendants(child))
            {
                yield return descendant;
            }
        }
    }
}

/// <summary>A matched value and its normalized path, e.g. <c>$['store']['book'][0]</c>.</summary>
internal sealed record JsonPathMatch(string Path, JsonNode? Value);

internal sealed record JsonPathSegment(bool Descendant, JsonPathSelector Selector);
