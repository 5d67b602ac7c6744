using System.Text.Json;
using Platform.Api.Chat;
using Platform.Api.Embeddings.Wire;

namespace Platform.Api.Embeddings;

/// <summary>A validated <c>POST /v1/embeddings</c> request.</summary>
public sealed record ParsedEmbeddingRequest(string Model, IReadOnlyList<string> Inputs, bool Base64, int? Dimensions, string? User);

/// <summary>OpenAI's wire request → <see cref="ParsedEmbeddingRequest"/>; every fault is a 400 naming the field.</summary>
public static class EmbeddingRequestMapper
{
    public static ParsedEmbeddingRequest Map(EmbeddingRequest request, EmbeddingsOptions options)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw ChatGatewayException.BadRequest("'model' is required.", "model", "missing_required_parameter");
        }
        var inputs = ReadInputs(request.Input, options.MaxInputs);
        var base64 = request.EncodingFormat switch
        {
            null or "float" => false,
            "base64" => true,
            var other => throw ChatGatewayException.BadRequest($"'encoding_format' is '{other}'; expected float or base64.", "encoding_format"),
        };
        if (request.Dimensions is { } dimensions && (dimensions < 1 || dimensions > options.MaxDimensions))
        {
            throw ChatGatewayException.BadRequest($"'dimensions' must be between 1 and {options.MaxDimensions}.", "dimensions");
        }
        return new ParsedEmbeddingRequest(request.Model, inputs, base64, request.Dimensions, string.IsNullOrEmpty(request.User) ? null : request.User);
    }

    private static List<string> ReadInputs(JsonElement? input, int maxInputs)
    {
        switch (input)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                throw ChatGatewayException.BadRequest("'input' is required: a string or an array of strings.", "input", "missing_required_parameter");
            case { ValueKind: JsonValueKind.String } text:
                return [NotEmpty(text.GetString()!, "input")];
            case { ValueKind: JsonValueKind.Array } array:
                var count = array.GetArrayLength();
                if (count == 0)
                {
                    throw ChatGatewayException.BadRequest("'input' must not be an empty array.", "input");
                }
                if (count > maxInputs)
                {
                    throw ChatGatewayException.BadRequest($"'input' has {count} items; at most {maxInputs} are accepted in one request.", "input");
                }
                var inputs = new List<string>(count);
                var i = 0;
                foreach (var item in array.EnumerateArray())
                {
                    var param = $"input[{i++}]";
                    inputs.Add(item.ValueKind switch
                    {
                        JsonValueKind.String => NotEmpty(item.GetString()!, param),
                        // OpenAI also takes pre-tokenized input; the gateway could not count, cache or route it honestly.
                        JsonValueKind.Number or JsonValueKind.Array => throw ChatGatewayException.BadRequest(
                            "Token arrays are not supported as 'input'; send the text as a string or an array of strings.", param, "unsupported_value"),
                        _ => throw ChatGatewayException.BadRequest($"'{param}' must be a string.", param, "invalid_type"),
                    });
                }
                return inputs;
            default:
                throw ChatGatewayException.BadRequest("'input' must be a string or an array of strings.", "input", "invalid_type");
        }
    }

    private static string NotEmpty(string text, string param) =>
        text.Length > 0 ? text : throw ChatGatewayException.BadRequest($"'{param}' must not be empty.", param);
}
