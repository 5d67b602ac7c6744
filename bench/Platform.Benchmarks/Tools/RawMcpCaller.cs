using System.Net.Http.Headers;
using System.Text;

namespace Platform.Benchmarks.Tools;

/// <summary>The floor under any MCP client: one session opened by hand, then bare HTTP POSTs of tools/call on one connection.</summary>
internal sealed class RawMcpCaller(HttpClient http, Uri endpoint, string sessionId) : IDisposable
{
    private const string Call = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"evaluate_expression","arguments":{"expression":"(2 + 3) * 4"}}}""";

    public static async Task<RawMcpCaller> OpenAsync(Uri endpoint, string token, HttpMessageHandler? handler = null)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        http.DefaultRequestHeaders.Accept.ParseAdd("text/event-stream");
        http.DefaultRequestHeaders.Add("MCP-Protocol-Version", "2025-11-25");
        using var initialize = await http.PostAsync(endpoint, Json("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"""));
        initialize.EnsureSuccessStatusCode();
        await initialize.Content.ReadAsStringAsync();
        var sessionId = initialize.Headers.GetValues("Mcp-Session-Id").Single();
        http.DefaultRequestHeaders.Add("Mcp-Session-Id", sessionId);
        using var initialized = await http.PostAsync(endpoint, Json("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""));
        initialized.EnsureSuccessStatusCode();
        return new RawMcpCaller(http, endpoint, sessionId);
    }

    public string SessionId => sessionId;

    public async Task<string> CallAsync()
    {
        using var response = await http.PostAsync(endpoint, Json(Call));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public void Dispose() => http.Dispose();
}
