using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.McpHost.Tests.Infrastructure;

/// <summary>
/// A hand-written Streamable HTTP client: JSON-RPC over HttpClient, reading SSE or JSON answers.
/// It shares no code with the C# SDK, so what it can do any spec-compliant client can do.
/// </summary>
public sealed class RawMcpClient(HttpClient http, string path = "/mcp")
{
    public const string ProtocolVersion = "2025-06-18";

    private int _nextId;

    public string? SessionId { get; set; }

    public async Task<JsonObject> InitializeAsync()
    {
        var (response, messages) = await SendAsync(Request("initialize", new JsonObject
        {
            ["protocolVersion"] = ProtocolVersion,
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = "raw-test-client", ["version"] = "1.0" },
        }), includeProtocolVersion: false);
        response.EnsureSuccessStatusCode();
        SessionId = response.Headers.GetValues("Mcp-Session-Id").Single();
        var result = ResultOf(messages);

        var (initialized, _) = await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/initialized" });
        if ((int)initialized.StatusCode != 202)
        {
            throw new InvalidOperationException($"notifications/initialized answered {(int)initialized.StatusCode}, not 202.");
        }
        return result;
    }

    public async Task<JsonObject> CallAsync(string method, JsonObject? parameters = null)
    {
        var (response, messages) = await SendAsync(Request(method, parameters));
        response.EnsureSuccessStatusCode();
        return ResultOf(messages);
    }

    public JsonObject Request(string method, JsonObject? parameters = null)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = Interlocked.Increment(ref _nextId), ["method"] = method };
        if (parameters is not null)
        {
            request["params"] = parameters;
        }
        return request;
    }

    public async Task<(HttpResponseMessage Response, List<JsonObject> Messages)> SendAsync(
        JsonObject message, string accept = "application/json, text/event-stream", bool includeProtocolVersion = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd(accept);
        if (SessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", SessionId);
        }
        if (includeProtocolVersion)
        {
            request.Headers.Add("MCP-Protocol-Version", ProtocolVersion);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();
        var contentType = response.Content.Headers.ContentType?.MediaType;
        var messages = contentType switch
        {
            "text/event-stream" => ParseSse(body),
            "application/json" when body.Length > 0 => [JsonNode.Parse(body)!.AsObject()],
            _ => [],
        };
        return (response, messages);
    }

    /// <summary>SSE per the HTML spec: events separated by a blank line, data lines joined by newlines.</summary>
    public static List<JsonObject> ParseSse(string body)
    {
        var messages = new List<JsonObject>();
        var data = new StringBuilder();
        foreach (var line in body.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.Length == 0)
            {
                Flush();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0)
                {
                    data.Append('\n');
                }
                data.Append(line.AsSpan(5).TrimStart(' '));
            }
        }
        Flush();
        return messages;

        void Flush()
        {
            if (data.Length > 0)
            {
                messages.Add(JsonNode.Parse(data.ToString())!.AsObject());
                data.Clear();
            }
        }
    }

    public static HttpRequestMessage SessionRequest(HttpMethod method, string? sessionId, string accept = "text/event-stream")
    {
        var request = new HttpRequestMessage(method, "/mcp");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
        }
        return request;
    }

    private static JsonObject ResultOf(List<JsonObject> messages)
    {
        var response = messages.Single(m => m.ContainsKey("id"));
        if (response["error"] is JsonObject error)
        {
            throw new InvalidOperationException($"JSON-RPC error {error["code"]}: {error["message"]}");
        }
        return response["result"]!.AsObject();
    }
}
