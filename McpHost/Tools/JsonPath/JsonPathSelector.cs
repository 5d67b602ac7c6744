using System.Text.Json.Nodes;

namespace Platform.McpHost.Tools.JsonPath;

/// <summary>What one bracket or dot step selects from a node's children.</summary>
internal abstract record JsonPathSelector
{
    public static readonly JsonPathSelector Wildcard = new WildcardSelector();

    public abstract void Select(JsonPathMatch match, List<JsonPathMatch> output);

    protected static string Child(string path, string name) => $"{path}['{name.Replace("\\", "\\\\").Replace("'", "\\'")}']";

    protected static string Child(string path, int index) => $"{path}[{index}]";

    private sealed record WildcardSelector : JsonPathSelector
    {
        public override void Select(JsonPathMatch match, List<JsonPathMatch> output)
        {
            switch (match.Value)
            {
                case JsonObject obj:
                    foreach (var (name, value) in obj)
                    {
                        output.Add(new(Child(match.Path, name), value));
                    }
                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        output.Add(new(Child(match.Path, i), array[i]));
                    }
                    break;
            }
        }
    }
}

internal sealed record NameSelector(IReadOnlyList<string> Names) : JsonPathSelector
{
    public override void Select(JsonPathMatch match, List<JsonPathMatch> output)
    {
        if (match.Value is not JsonObject obj)
        {
            return;
        }
        foreach (var name in Names)
        {
            if (obj.TryGetPropertyValue(name, out var value))
            {
                output.Add(new(Child(match.Path, name), value));
            }
        }
    }
}

internal sealed record IndexSelector(IReadOnlyList<int> Indexes) : JsonPathSelector
{
    public override void Select(JsonPathMatch match, List<JsonPathMatch> output)
    {
        if (match.Value is not JsonArray array)
        {
            return;
        }
        foreach (var index in Indexes)
        {
            var actual = index < 0 ? array.Count + index : index;
            if (actual >= 0 && actual < array.Count)
            {
                output.Add(new(Child(match.Path, actual), array[actual]));
            }
        }
    }
}

/// <summary><c>[start:end:step]</c> with Python semantics for negative bounds.</summary>
internal sealed record SliceSelector(int? Start, int? End, int Step) : JsonPathSelector
{
    public override void Select(JsonPathMatch match, List<JsonPathMatch> output)
    {
        if (match.Value is not JsonArray array || Step == 0)
        {
            return;
        }
        var count = array.Count;
        int Normalize(int i) => i < 0 ? Math.Max(count + i, Step > 0 ? 0 : -1) : Math.Min(i, Step > 0 ? count : count - 1);
        var start = Start is { } s ? Normalize(s) : Step > 0 ? 0 : count - 1;
        var end = End is { } e ? Normalize(e) : Step > 0 ? count : -1;
        for (var i = start; Step > 0 ? i < end : i > end; i += Step)
        {
            output.Add(new(Child(match.Path, i), array[i]));
        }
    }
}

internal sealed record FilterSelector(JsonPathFilter Filter) : JsonPathSelector
{
    public override void Select(JsonPathMatch match, List<JsonPathMatch> output)
    {
        var children = new List<JsonPathMatch>();
        Wildcard.Select(match, children);
        output.AddRange(children.Where(c => Filter.Matches(c.Value)));
    }
}
