using System.Text;
using System.Text.Json;

namespace Platform.Api.Providers.Offline;

/// <summary>
/// Builds a JSON value that fits a JSON schema, deterministically: strings take the last user
/// message, numbers their minimum (or 1), booleans true, enums their first value, arrays one item.
/// </summary>
internal static class OfflineToolArguments
{
    private const int MaxDepth = 8;

    public static string Build(JsonElement schema, string userText)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteValue(writer, schema, userText, 0);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement schema, string userText, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object || depth > MaxDepth)
        {
            writer.WriteNullValue();
            return;
        }
        if (schema.TryGetProperty("const", out var constant) || schema.TryGetProperty("default", out constant))
        {
            constant.WriteTo(writer);
            return;
        }
        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(writer);
            return;
        }
        switch (TypeOf(schema))
        {
            case "string":
                writer.WriteStringValue(userText);
                break;
            case "integer":
                writer.WriteNumberValue(schema.TryGetProperty("minimum", out var min) && min.TryGetInt64(out var m) ? m : 1);
                break;
            case "number":
                writer.WriteNumberValue(schema.TryGetProperty("minimum", out var minimum) && minimum.TryGetDouble(out var d) ? d : 1);
                break;
            case "boolean":
                writer.WriteBooleanValue(true);
                break;
            case "array":
                writer.WriteStartArray();
                if (schema.TryGetProperty("items", out var items))
                {
                    WriteValue(writer, items, userText, depth + 1);
                }
                writer.WriteEndArray();
                break;
            case "object":
                writer.WriteStartObject();
                if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        writer.WritePropertyName(property.Name);
                        WriteValue(writer, property.Value, userText, depth + 1);
                    }
                }
                writer.WriteEndObject();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static string TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : "string";
        }
        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString() ?? "string";
        }
        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var candidate in type.EnumerateArray())
            {
                if (candidate.GetString() is { } name && name != "null")
                {
                    return name;
                }
            }
        }
        return "null";
    }
}
