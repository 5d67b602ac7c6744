using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Platform.Api.Tests.Infrastructure;

/// <summary>Raw HTTP against the Api, for what the SDK hides (status codes, headers, error bodies, SSE text).</summary>
public static class ApiHttp
{
    public static HttpClient CreateAuthorizedClient(this ApiFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiFactory.AdminKey);
        return client;
    }

    public static Task<HttpResponseMessage> PostChatAsync(this HttpClient client, string json, Action<HttpRequestMessage>? configure = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        configure?.Invoke(request);
        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>The JSON payloads of an SSE body's <c>data:</c> lines, and whether it ended with [DONE].</summary>
    public static async Task<(List<JsonElement> Events, bool Done)> ReadSseAsync(this HttpResponseMessage response)
    {
        var events = new List<JsonElement>();
        var done = false;
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }
            var data = line["data: ".Length..];
            if (data == "[DONE]")
            {
                done = true;
                continue;
            }
            using var document = JsonDocument.Parse(data);
            events.Add(document.RootElement.Clone());
        }
        return (events, done);
    }

    /// <summary>Text no other test sends: the response cache (shared through Redis) must not answer for the upstream.</summary>
    public static string Unique(string text) => $"{text} [{Guid.NewGuid():N}]";

    public static string UserMessage(string model, string text, string extra = "") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":{{JsonSerializer.Serialize(text)}}}]{{extra}}}""";
}
