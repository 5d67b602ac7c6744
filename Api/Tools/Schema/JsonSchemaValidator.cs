using System.Text.Json;

namespace Platform.Api.Tools.Schema;

/// <summary>A validation failure: where in the arguments (JSON Pointer) and what is wrong.</summary>
public sealed record SchemaError(string Path, string Message)
{
    public override string ToString() => $"{(Path.Length == 0 ? "arguments" : Path)}: {Message}";
}

/// <summary>
/// Validates tool arguments against the common JSON Schema keywords tools use: type, required,
/// properties, additionalProperties, enum, const, minimum/maximum (and exclusive forms),
/// minLength/maxLength, items, minItems/maxItems. Unknown keywords are ignored, as the spec allows.
/// </summary>
public static class JsonSchemaValidator
{
    public static SchemaError? Validate(JsonElement schema, JsonElement instance) => Validate(schema, instance, "");

    private static SchemaError? Validate(JsonElement schema, JsonElement instance, string path)
    {
        if (schema.ValueKind == JsonValueKind.False)
        {
            return new SchemaError(path, "no value is allowed here");
        }
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (schema.TryGetProperty("type", out var type) && !MatchesType(type, instance))
        {
            return new SchemaError(path, $"expected {Describe(type)}, got {KindName(instance)}");
        }
        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array
            && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, instance)))
        {
            return new SchemaError(path, $"must be one of {allowed.GetRawText()}");
        }
        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, instance))
        {
            return new SchemaError(path, $"must be {constant.GetRawText()}");
        }

        return instance.ValueKind switch
        {
            JsonValueKind.Object => ValidateObject(schema, instance, path),
            JsonValueKind.Array => ValidateArray(schema, instance, path),
            JsonValueKind.Number => ValidateNumber(schema, instance.GetDouble(), path),
            JsonValueKind.String => ValidateString(schema, instance.GetString()!, path),
            _ => null,
        };
    }

    private static SchemaError? ValidateObject(JsonElement schema, JsonElement instance, string path)
    {
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String && !instance.TryGetProperty(name.GetString()!, out _))
                {
                    return new SchemaError($"{path}/{name.GetString()}", "is required");
                }
            }
        }
        var hasProperties = schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object;
        schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in instance.EnumerateObject())
        {
            var propertyPath = $"{path}/{property.Name}";
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                if (Validate(propertySchema, property.Value, propertyPath) is { } error)
                {
                    return error;
                }
            }
            else if (additional.ValueKind == JsonValueKind.False)
            {
                return new SchemaError(propertyPath, "is not an allowed property");
            }
            else if (additional.ValueKind == JsonValueKind.Object && Validate(additional, property.Value, propertyPath) is { } error)
            {
                return error;
            }
        }
        return null;
    }

    private static SchemaError? ValidateArray(JsonElement schema, JsonElement instance, string path)
    {
        var length = instance.GetArrayLength();
        if (schema.TryGetProperty("minItems", out var minItems) && minItems.TryGetInt32(out var min) && length < min)
        {
            return new SchemaError(path, $"needs at least {min} items");
        }
        if (schema.TryGetProperty("maxItems", out var maxItems) && maxItems.TryGetInt32(out var max) && length > max)
        {
            return new SchemaError(path, $"allows at most {max} items");
        }
        if (schema.TryGetProperty("items", out var items) && items.ValueKind is JsonValueKind.Object or JsonValueKind.False)
        {
            var index = 0;
            foreach (var item in instance.EnumerateArray())
            {
                if (Validate(items, item, $"{path}/{index++}") is { } error)
                {
                    return error;
                }
            }
        }
        return null;
    }

    private static SchemaError? ValidateNumber(JsonElement schema, double value, string path)
    {
        if (schema.TryGetProperty("minimum", out var minimum) && minimum.TryGetDouble(out var min) && value < min)
        {
            return new SchemaError(path, $"must be >= {min}");
        }
        if (schema.TryGetProperty("maximum", out var maximum) && maximum.TryGetDouble(out var max) && value > max)
        {
            return new SchemaError(path, $"must be <= {max}");
        }
        if (schema.TryGetProperty("exclusiveMinimum", out var exclusiveMinimum) && exclusiveMinimum.TryGetDouble(out var xmin) && value <= xmin)
        {
            return new SchemaError(path, $"must be > {xmin}");
        }
        if (schema.TryGetProperty("exclusiveMaximum", out var exclusiveMaximum) && exclusiveMaximum.TryGetDouble(out var xmax) && value >= xmax)
        {
            return new SchemaError(path, $"must be < {xmax}");
        }
        return null;
    }

    private static SchemaError? ValidateString(JsonElement schema, string value, string path)
    {
        if (schema.TryGetProperty("minLength", out var minLength) && minLength.TryGetInt32(out var min) && value.Length < min)
        {
            return new SchemaError(path, $"must be at least {min} characters long");
        }
        if (schema.TryGetProperty("maxLength", out var maxLength) && maxLength.TryGetInt32(out var max) && value.Length > max)
        {
            return new SchemaError(path, $"must be at most {max} characters long");
        }
        return null;
    }

    private static bool MatchesType(JsonElement type, JsonElement instance) => type.ValueKind switch
    {
        JsonValueKind.String => MatchesType(type.GetString()!, instance),
        JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && MatchesType(t.GetString()!, instance)),
        _ => true,
    };

    private static bool MatchesType(string type, JsonElement instance) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && IsInteger(instance),
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static bool IsInteger(JsonElement number) =>
        number.TryGetInt64(out _) || (number.TryGetDouble(out var d) && Math.Floor(d) == d && !double.IsInfinity(d));

    private static string Describe(JsonElement type) =>
        type.ValueKind == JsonValueKind.Array ? string.Join(" or ", type.EnumerateArray().Select(t => t.GetString())) : type.GetString() ?? "?";

    private static string KindName(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
