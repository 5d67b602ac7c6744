using System.Text.Json;
using Platform.Api.Tools.Schema;

namespace Platform.Api.Tests.Tools;

public class JsonSchemaValidatorTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "text": { "type": "string", "minLength": 1, "maxLength": 5 },
            "count": { "type": "integer", "minimum": 1, "maximum": 10 },
            "unit": { "enum": ["m", "km"] },
            "tags": { "type": "array", "items": { "type": "string" }, "maxItems": 2 },
            "nested": { "type": "object", "properties": { "flag": { "type": "boolean" } }, "required": ["flag"] }
          },
          "required": ["text"],
          "additionalProperties": false
        }
        """).RootElement;

    [Theory]
    [InlineData("""{"text":"abc"}""")]
    [InlineData("""{"text":"abc","count":3,"unit":"km","tags":["a","b"],"nested":{"flag":true}}""")]
    [InlineData("""{"text":"abc","count":3.0}""")]
    public void ValidArgumentsPass(string arguments) =>
        Assert.Null(JsonSchemaValidator.Validate(Schema, JsonDocument.Parse(arguments).RootElement));

    [Theory]
    [InlineData("""{}""", "/text", "required")]
    [InlineData("""{"text":5}""", "/text", "expected string")]
    [InlineData("""{"text":""}""", "/text", "at least 1")]
    [InlineData("""{"text":"toolong"}""", "/text", "at most 5")]
    [InlineData("""{"text":"a","count":0}""", "/count", ">= 1")]
    [InlineData("""{"text":"a","count":11}""", "/count", "<= 10")]
    [InlineData("""{"text":"a","count":1.5}""", "/count", "expected integer")]
    [InlineData("""{"text":"a","unit":"mile"}""", "/unit", "one of")]
    [InlineData("""{"text":"a","tags":["x",1]}""", "/tags/1", "expected string")]
    [InlineData("""{"text":"a","tags":["x","y","z"]}""", "/tags", "at most 2")]
    [InlineData("""{"text":"a","nested":{}}""", "/nested/flag", "required")]
    [InlineData("""{"text":"a","extra":1}""", "/extra", "not an allowed property")]
    [InlineData("""[1]""", "", "expected object")]
    public void InvalidArgumentsSayWhereAndWhat(string arguments, string path, string message)
    {
        var error = JsonSchemaValidator.Validate(Schema, JsonDocument.Parse(arguments).RootElement);

        Assert.NotNull(error);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
    }
}
