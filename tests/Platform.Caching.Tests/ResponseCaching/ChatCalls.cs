using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Caching.Tests.ResponseCaching;

/// <summary>Raw HTTP calls to /v1/chat/completions, so tests can see the x-cache header.</summary>
public static class ChatCalls
{
    public static JsonObject Request(string prompt, bool stream = false, Action<JsonObject>? customize = null)
    {
        var body = new JsonObject
        {
            ["model"] = "offline",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
        };
        if (stream)
        {
            body["stream"] = true;
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        customize?.Invoke(body);
        return body;
    }

    public static async Task<ChatCallResult> PostAsync(HttpClient client, JsonObject body, string? cacheControl = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
        if (cacheControl is not null)
        {
            request.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var cache = response.Headers.TryGetValues("x-cache", out var values) ? values.Single() : null;
        return new ChatCallResult((int)response.StatusCode, cache, text);
    }

    /// <summary>Creates an API key with the admin key for a tenant of its own; returns its id, secret and tenant.</summary>
    public static async Task<(string Id, string Key, string TenantId)> CreateKeyAsync(HttpClient client, string tenant)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/keys")
        {
            Content = JsonContent.Create(new JsonObject { ["name"] = tenant, ["tenant_id"] = tenant + Guid.NewGuid().ToString("N")[..6] }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CachingApiFactory.AdminKey);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (created["id"]!.GetValue<string>(), created["key"]!.GetValue<string>(), created["tenant_id"]!.GetValue<string>());
    }

    /// <summary>An admin call without a body (DELETE /v1/cache, DELETE /v1/admin/keys/{id}).</summary>
    public static async Task<int> AdminAsync(HttpClient client, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CachingApiFactory.AdminKey);
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    public static JsonObject Tool(string name, string parameter) => new()
    {
        ["type"] = "function",
        ["function"] = new JsonObject
        {
            ["name"] = name,
            ["description"] = "Looks up " + parameter,
            ["parameters"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { [parameter] = new JsonObject { ["type"] = "string" } },
                ["required"] = new JsonArray(parameter),
            },
        },
    };
}

public sealed record ChatCallResult(int Status, string? Cache, string Body)
{
    /// <summary>The assistant's text, from a JSON answer or the concatenated deltas of an SSE stream.</summary>
    public string Text
    {
        get
        {
            if (!Body.StartsWith("data:", StringComparison.Ordinal))
            {
                return JsonNode.Parse(Body)!["choices"]![0]!["message"]!["content"]?.GetValue<string>() ?? "";
            }
            var text = new System.Text.StringBuilder();
            foreach (var line in Body.Split('\n'))
            {
                if (line.StartsWith("data: {", StringComparison.Ordinal)
                    && JsonNode.Parse(line["data: ".Length..])!["choices"] is JsonArray { Count: > 0 } choices
                    && choices[0]!["delta"]?["content"] is JsonValue content)
                {
                    text.Append(content.GetValue<string>());
                }
            }
            return text.ToString();
        }
    }

    /// <summary>The usage object of a JSON answer or of a stream's usage chunk.</summary>
    public JsonNode? Usage =>
        Body.StartsWith("data:", StringComparison.Ordinal)
            ? Body.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l["data: ".Length..])!["usage"]).LastOrDefault(u => u is not null)
            : JsonNode.Parse(Body)!["usage"];
}
