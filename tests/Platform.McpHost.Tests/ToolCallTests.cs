using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Platform.McpHost.Tests.Infrastructure;

namespace Platform.McpHost.Tests;

/// <summary>Every tool, called through the C# SDK client with good and bad arguments.</summary>
public sealed class ToolCallTests(McpHostServer server) : IClassFixture<McpHostServer>
{
    public static readonly string[] ToolNames =
    [
        "evaluate_expression", "convert_units", "convert_time_zone", "json_query", "text_statistics",
        "hash_text", "encode_text", "decode_text", "generate_uuid", "date_arithmetic",
    ];

    [Fact]
    public async Task EveryToolIsListedWithAnObjectInputSchemaAnOutputSchemaAndADescription()
    {
        await using var client = await server.ConnectAsync();

        var tools = await client.ListToolsAsync();

        Assert.Equal(ToolNames.Order(), tools.Select(t => t.Name).Order());
        Assert.All(tools, tool =>
        {
            Assert.Equal("object", tool.ProtocolTool.InputSchema.GetProperty("type").GetString());
            Assert.Equal("object", tool.ProtocolTool.OutputSchema!.Value.GetProperty("type").GetString());
            Assert.True(tool.Description.Length > 40, $"{tool.Name} needs a useful description");
            Assert.True(tool.ProtocolTool.Annotations?.ReadOnlyHint);
        });
    }

    [Theory]
    [InlineData("evaluate_expression", """{"expression":"(2 + 3) * 4 - 10 / 4"}""", "result", "17.5")]
    [InlineData("evaluate_expression", """{"expression":"-2^2 + 2^3^2"}""", "result", "508")]
    [InlineData("evaluate_expression", """{"expression":"round(sqrt(2) * max(1, 3, 2), 3) + abs(-1) + 7 % 4"}""", "result", "8.243")]
    [InlineData("evaluate_expression", """{"expression":"round(cos(pi) + log(e) + log(100, 10), 6)"}""", "result", "2")]
    [InlineData("convert_units", """{"value":26.2,"from":"miles","to":"km"}""", "result", "42.1648128")]
    [InlineData("convert_units", """{"value":100,"from":"C","to":"F"}""", "result", "212")]
    [InlineData("convert_units", """{"value":1,"from":"GiB","to":"MB"}""", "result", "1073.741824")]
    [InlineData("convert_units", """{"value":2,"from":"lb","to":"g"}""", "result", "907.18474")]
    [InlineData("convert_units", """{"value":1,"from":"gal","to":"l"}""", "result", "3.785411784")]
    [InlineData("convert_units", """{"value":90,"from":"min","to":"h"}""", "result", "1.5")]
    [InlineData("convert_time_zone", """{"dateTime":"2026-07-01T09:00:00","from":"Europe/Paris","to":"America/New_York"}""", "target.dateTime", "2026-07-01T03:00:00-04:00")]
    [InlineData("convert_time_zone", """{"dateTime":"2026-01-15T12:00:00Z","to":"Asia/Kolkata"}""", "target.utcOffset", "+05:30")]
    [InlineData("json_query", """{"json":{"store":{"book":[{"title":"A","price":8},{"title":"B","price":12}]}},"path":"$.store.book[?(@.price < 10)].title"}""", "matches.0.value", "A")]
    [InlineData("json_query", """{"json":"{\"a\":[1,2,3]}","path":"$.a[-1]"}""", "matches.0.path", "$['a'][2]")]
    [InlineData("json_query", """{"json":{"x":{"id":1,"y":{"id":2}}},"path":"$..id"}""", "count", "2")]
    [InlineData("text_statistics", """{"text":"The cat sat. The cat ran!\nDogs bark?"}""", "sentences", "3")]
    [InlineData("text_statistics", """{"text":"The cat sat. The cat ran!\nDogs bark?"}""", "topWords.0.word", "cat")]
    [InlineData("hash_text", """{"text":"abc"}""", "hash", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("hash_text", """{"text":"abc","algorithm":"md5","encoding":"base64"}""", "hash", "kAFQmDzST7DWlj99KOF/cg==")]
    [InlineData("encode_text", """{"text":"héllo?","encoding":"base64url"}""", "result", "aMOpbGxvPw")]
    [InlineData("encode_text", """{"text":"a b&c","encoding":"url"}""", "result", "a%20b%26c")]
    [InlineData("decode_text", """{"text":"68c3a96c6c6f","encoding":"hex"}""", "result", "héllo")]
    [InlineData("generate_uuid", """{"version":7,"count":3}""", "uuids.2", null)]
    [InlineData("date_arithmetic", """{"date":"2024-01-31","add":{"months":1}}""", "result.dateTime", "2024-02-29T00:00:00+00:00")]
    [InlineData("date_arithmetic", """{"date":"2026-01-01","until":"2027-03-15"}""", "difference.months", "2")]
    public async Task ToolAnswersGoodArgumentsWithStructuredContentAndText(string tool, string arguments, string path, string? expected)
    {
        await using var client = await server.ConnectAsync();

        var result = await client.CallToolAsync(tool, Arguments(arguments));

        Assert.NotEqual(true, result.IsError);
        var structured = result.StructuredContent!.Value;
        var value = Navigate(structured, path);
        if (expected is not null)
        {
            Assert.Equal(expected, value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText());
        }
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.True(JsonElement.DeepEquals(structured, JsonDocument.Parse(text).RootElement));
    }

    [Theory]
    [InlineData("evaluate_expression", """{}""", "'expression' is required")]
    [InlineData("evaluate_expression", """{"expression":"1 / (2 - 2)"}""", "division by zero")]
    [InlineData("evaluate_expression", """{"expression":"2 * (3 + 4"}""", "missing ')'")]
    [InlineData("evaluate_expression", """{"expression":"foo(2)"}""", "unknown function 'foo'")]
    [InlineData("evaluate_expression", """{"expression":42}""", "must be a string")]
    [InlineData("convert_units", """{"value":1,"from":"kg","to":"m"}""", "Cannot convert mass")]
    [InlineData("convert_units", """{"value":1,"from":"parsec","to":"m"}""", "unknown unit 'parsec'")]
    [InlineData("convert_units", """{"value":-500,"from":"C","to":"K"}""", "below absolute zero")]
    [InlineData("convert_time_zone", """{"to":"Mars/Olympus"}""", "unknown time zone 'Mars/Olympus'")]
    [InlineData("convert_time_zone", """{"dateTime":"2026-03-29T02:30:00","from":"Europe/Berlin","to":"UTC"}""", "does not exist in Europe/Berlin")]
    [InlineData("json_query", """{"json":"{oops","path":"$"}""", "not valid JSON text")]
    [InlineData("json_query", """{"json":{},"path":"store.book"}""", "must start with '$'")]
    [InlineData("json_query", """{"json":{},"path":"$.a[?(@.b <)]"}""", "expected a literal")]
    [InlineData("text_statistics", """{"text":"x","topWords":1000}""", "between 0 and 100")]
    [InlineData("hash_text", """{"text":"x","algorithm":"crc32"}""", "must be one of: md5")]
    [InlineData("encode_text", """{"text":"x"}""", "'encoding' is required")]
    [InlineData("decode_text", """{"text":"abc","encoding":"hex"}""", "not valid hex")]
    [InlineData("decode_text", """{"text":"/w==","encoding":"base64"}""", "not UTF-8 text")]
    [InlineData("generate_uuid", """{"version":5}""", "must be 4 or 7")]
    [InlineData("generate_uuid", """{"count":0}""", "between 1 and 100")]
    [InlineData("date_arithmetic", """{"date":"yesterday"}""", "not an ISO 8601 date")]
    [InlineData("date_arithmetic", """{"date":"2026-01-01","add":{"fortnights":1}}""", "not a known unit")]
    public async Task ToolAnswersBadArgumentsWithAnErrorResultThatSaysWhatIsWrong(string tool, string arguments, string message)
    {
        await using var client = await server.ConnectAsync();

        var result = await client.CallToolAsync(tool, Arguments(arguments));

        Assert.True(result.IsError);
        Assert.Contains(message, Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task Version7UuidsAreDistinctAndSortedByCreation()
    {
        await using var client = await server.ConnectAsync();

        var result = await client.CallToolAsync("generate_uuid", Arguments("""{"version":7,"count":50}"""));

        var uuids = result.StructuredContent!.Value.GetProperty("uuids").EnumerateArray().Select(u => Guid.Parse(u.GetString()!)).ToList();
        Assert.Equal(50, uuids.Distinct().Count());
        Assert.All(uuids, u => Assert.Equal(7, u.Version));
        Assert.Equal(uuids.Select(u => u.ToString()[..13]).Order(StringComparer.Ordinal), uuids.Select(u => u.ToString()[..13]));
    }

    [Fact]
    public async Task UnknownToolIsAProtocolErrorNotACrash()
    {
        await using var client = await server.ConnectAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.CallToolAsync("no_such_tool", Arguments("{}")).AsTask());

        Assert.Contains("no_such_tool", error.Message);
        Assert.NotEqual(true, (await client.CallToolAsync("hash_text", Arguments("""{"text":"still fine"}"""))).IsError);
    }

    internal static Dictionary<string, object?> Arguments(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

    private static JsonElement Navigate(JsonElement element, string path)
    {
        foreach (var part in path.Split('.'))
        {
            element = element.ValueKind == JsonValueKind.Array ? element[int.Parse(part)] : element.GetProperty(part);
        }
        return element;
    }
}
