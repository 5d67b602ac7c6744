using System.Text.Json.Nodes;
using Platform.McpHost.Tools;
using Platform.McpHost.Tools.JsonPath;

namespace Platform.McpHost.Tests;

public sealed class JsonPathQueryTests
{
    private static readonly JsonNode Store = JsonNode.Parse("""
    {
      "store": {
        "book": [
          { "category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95 },
          { "category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99 },
          { "category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553", "price": 8.99 },
          { "category": "fiction", "author": "J. R. R. Tolkien", "title": "Rings", "isbn": "0-395", "price": 22.99 }
        ],
        "bicycle": { "color": "red", "price": 19.95 }
      },
      "weird key": [true, false, null]
    }
    """)!;

    [Theory]
    [InlineData("$.store.book[*].author", "[\"Nigel Rees\",\"Evelyn Waugh\",\"Herman Melville\",\"J. R. R. Tolkien\"]")]
    [InlineData("$..author", "[\"Nigel Rees\",\"Evelyn Waugh\",\"Herman Melville\",\"J. R. R. Tolkien\"]")]
    [InlineData("$.store.*.color", "[\"red\"]")]
    [InlineData("$..book[2].title", "[\"Moby Dick\"]")]
    [InlineData("$..book[-1].title", "[\"Rings\"]")]
    [InlineData("$.store.book[0,1].price", "[8.95,12.99]")]
    [InlineData("$.store.book[:2].title", "[\"Sayings\",\"Sword\"]")]
    [InlineData("$.store.book[::-2].title", "[\"Rings\",\"Sword\"]")]
    [InlineData("$..book[?(@.isbn)].title", "[\"Moby Dick\",\"Rings\"]")]
    [InlineData("$..book[?(@.price < 10)].title", "[\"Sayings\",\"Moby Dick\"]")]
    [InlineData("$..book[?@.category == 'reference'].author", "[\"Nigel Rees\"]")]
    [InlineData("$..book[?(@.category != \"fiction\")].price", "[8.95]")]
    [InlineData("$['weird key'][0]", "[true]")]
    [InlineData("$..price", "[8.95,12.99,8.99,22.99,19.95]")]
    [InlineData("$.nothing.here", "[]")]
    public void SelectsWhatTheJsonPathSays(string path, string expected)
    {
        var values = new JsonArray([.. JsonPathQuery.Parse(path).Evaluate(Store).Select(m => m.Value?.DeepClone())]);

        Assert.Equal(expected, values.ToJsonString());
    }

    [Fact]
    public void MatchesCarryTheirNormalizedPath()
    {
        var match = Assert.Single(JsonPathQuery.Parse("$..bicycle.color").Evaluate(Store));

        Assert.Equal("$['store']['bicycle']['color']", match.Path);
    }

    [Theory]
    [InlineData("store", "must start with '$'")]
    [InlineData("$.store[", "expected an index")]
    [InlineData("$[?(@.a ~ 1)]", "expected ')' but found '~'")]
    [InlineData("$[1:2:0]", "step cannot be 0")]
    [InlineData("$.", "expected a member name")]
    public void RejectsMalformedPaths(string path, string message)
    {
        var error = Assert.Throws<ToolArgumentException>(() => JsonPathQuery.Parse(path));
        Assert.Contains(message, error.Message);
    }
}
