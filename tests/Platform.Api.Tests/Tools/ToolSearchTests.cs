using System.Text.Json;
using Platform.Api.Tools.Catalog;
using Platform.Api.Tools.Search;

namespace Platform.Api.Tests.Tools;

/// <summary>Relevance of the offline (local hashing) search on a fixed tool set, as models would ask.</summary>
public class ToolSearchTests
{
    private static readonly (string Name, string Description)[] FixedTools =
    [
        ("convert_time_zone", "Converts a date and time from one IANA time zone to another (e.g. Europe/Paris to America/New_York), applying daylight saving rules."),
        ("convert_units", "Converts a value between units of length (m km mi), mass (kg lb), temperature (C F K), volume (l gal), data size (KB MB GB) and time. Full names such as 'miles' or 'celsius' work too."),
        ("date_arithmetic", "Adds or subtracts a calendar duration to a date/time, and/or measures the difference between two date/times (total days, hours, and whole years/months/days)."),
        ("decode_text", "Decodes base64, base64url, hex or url (percent) encoded text back to UTF-8 text."),
        ("encode_text", "Encodes UTF-8 text as base64, base64url (URL-safe, no padding), hex, or url (percent-encoding)."),
        ("evaluate_expression", "Evaluates an arithmetic expression exactly as written. Operators: + - * / % ^, parentheses. Functions: sqrt abs min max round log sin cos. Constants: pi e."),
        ("generate_uuid", "Generates RFC 9562 UUIDs: version 4 (random) or version 7 (time-ordered, good for database keys)."),
        ("hash_text", "Computes a hash of a text's UTF-8 bytes: md5, sha1, sha256, sha384 or sha512, as lowercase hex or base64. With 'key' it computes the HMAC."),
        ("json_query", "Selects values from a JSON document with JSONPath: $ (root), .name, [0], [*], ..name (recursive descent) and filters."),
        ("text_statistics", "Counts characters, words, lines, sentences and paragraphs of a text, estimates reading time and lists the most frequent words."),
        ("get_weather", "Returns the current weather and the forecast for a city: temperature, rain, wind."),
        ("send_email", "Sends an email message to one or more recipients with a subject and a body."),
        ("create_calendar_event", "Creates an event in the user's calendar with a title, start and end time and attendees."),
        ("search_web", "Searches the web and returns the top result pages with titles and snippets."),
        ("read_file", "Reads the content of a file from the workspace by its path."),
        ("create_github_issue", "Opens an issue in a GitHub repository with a title, body and labels."),
        ("query_database", "Runs a read-only SQL query against the analytics database and returns rows."),
        ("resize_image", "Resizes an image to the given width and height, keeping its aspect ratio."),
        ("translate_text", "Translates text from one language to another, e.g. English to French."),
        ("stock_price", "Returns the latest stock price and daily change for a ticker symbol."),
    ];

    [Theory]
    [InlineData("what is 17 * 23 + sqrt(16)", "evaluate_expression")]
    [InlineData("convert 5 miles to kilometers", "convert_units")]
    [InlineData("what time is it in Tokyo when it is 9am in Paris, time zone", "convert_time_zone")]
    [InlineData("sha256 hash of this password", "hash_text")]
    [InlineData("base64 encode this string", "encode_text")]
    [InlineData("decode this base64 text", "decode_text")]
    [InlineData("generate a new uuid for a database key", "generate_uuid")]
    [InlineData("how many words and sentences are in this paragraph", "text_statistics")]
    [InlineData("select a value from a JSON document with a JSONPath", "json_query")]
    [InlineData("how many days between two dates", "date_arithmetic")]
    [InlineData("what's the weather forecast in Paris tomorrow", "get_weather")]
    [InlineData("send an email to my manager", "send_email")]
    [InlineData("translate this sentence to French", "translate_text")]
    [InlineData("open a github issue about the bug", "create_github_issue")]
    public void NamedQueriesFindTheExpectedToolInTheTopThree(string query, string expected)
    {
        var generator = new LocalHashingEmbeddingGenerator();
        var snapshot = BuildSnapshot(generator);

        var hits = snapshot.SearchIndex.Search(generator.Embed(query), TextTerms.Keywords(query), 3);

        Assert.Contains(expected, hits.Select(h => h.Tool.ExposedName));
    }

    [Fact]
    public void HitsComeBestFirstAndRespectKAndTheFilter()
    {
        var generator = new LocalHashingEmbeddingGenerator();
        var snapshot = BuildSnapshot(generator);
        const string query = "convert units of temperature";

        var hits = snapshot.SearchIndex.Search(generator.Embed(query), TextTerms.Keywords(query), 5, t => t.ExposedName != "convert_units");

        Assert.Equal(5, hits.Length);
        Assert.DoesNotContain(hits, h => h.Tool.ExposedName == "convert_units");
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.Tool.ExposedName), hits.Select(h => h.Tool.ExposedName));
    }

    [Fact]
    public void LookupByNameFindsEveryToolAndOnlyThose()
    {
        var snapshot = BuildSnapshot(new LocalHashingEmbeddingGenerator());

        foreach (var (name, _) in FixedTools)
        {
            Assert.True(snapshot.TryGetTool(name.AsSpan(), out var tool));
            Assert.Equal(name, tool.Name);
        }
        Assert.False(snapshot.TryGetTool("no_such_tool".AsSpan(), out _));
        Assert.False(snapshot.TryGetTool("HASH_TEXT".AsSpan(), out _));
    }

    internal static ToolCatalogSnapshot BuildSnapshot(LocalHashingEmbeddingGenerator generator)
    {
        var schema = JsonDocument.Parse("""{"type":"object"}""").RootElement;
        var tools = FixedTools.Select(t => new McpTool
        {
            ExposedName = t.Name,
            ServerLabel = "fixed",
            Name = t.Name,
            Description = t.Description,
            InputSchema = schema,
            ContentHash = t.Name,
            Embedding = generator.Embed(ToolCatalog.EmbeddingText(t.Name, null, t.Description, schema)),
            EmbeddingModel = generator.ModelId,
        });
        var servers = new Dictionary<string, McpServerState> { ["fixed"] = new("fixed", "http://fixed", true, null, null) };
        return new ToolCatalogSnapshot(tools, servers, LocalHashingEmbeddingGenerator.DefaultDimensions, generator.ModelId, 1);
    }
}
