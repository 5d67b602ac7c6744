using System.Net.Http.Headers;
using System.Text.Json;

namespace Platform.Benchmarks.Caching;

/// <summary>Posts chat requests and checks the x-cache header the Api answers with.</summary>
internal sealed class CacheBenchClient(HttpClient http)
{
    public async Task<string> SendAsync(Uri api, string prompt, bool noStore = false, bool noCache = false, bool stream = false, double? temperature = null, string? expect = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["model"] = "offline",
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = prompt } },
        };
        if (temperature is { } t)
        {
            body["temperature"] = t;
        }
        if (stream)
        {
            body["stream"] = true;
        }
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "v1/chat/completions")) { Content = content };
        if (noStore || noCache)
        {
            request.Headers.CacheControl = new CacheControlHeaderValue { NoStore = noStore, NoCache = noCache };
        }
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await response.Content.CopyToAsync(Stream.Null);
        var cache = response.Headers.TryGetValues("x-cache", out var values) ? values.First() : "";
        if (expect is not null && cache != expect)
        {
            throw new InvalidOperationException($"Expected x-cache '{expect}' for '{prompt}' but got '{cache}'.");
        }
        return cache;
    }
}
