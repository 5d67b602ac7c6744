using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests.Errors;

/// <summary>
/// Bad input of every kind, at every endpoint of the Api, is a 4xx OpenAI error object that gives
/// away nothing of the server's insides, and leaves the service healthy. The endpoints come from the
/// Api's own EndpointDataSource: an endpoint added without a row here fails the coverage test.
/// </summary>
public sealed class BadInputTests(McpHostApiFactory api) : IClassFixture<McpHostApiFactory>
{
    /// <summary>Routes that take no input a caller could get wrong: the probes and scrape endpoint of ServiceDefaults.</summary>
    // The usage page's two files and the OpenAPI document take no input at all.
    private static readonly HashSet<string> Exempt = ["/health", "/alive", "/metrics", "/usage", "/usage/usage.js", "/openapi/v1.json"];

    private const string Admin = ApiFactory.AdminKey;
    private const string Chat = "/v1/chat/completions";

    /// <summary>One request and the error it must get. <see cref="Route"/> is the endpoint's pattern, for coverage.</summary>
    public sealed record Row(string What, string Method, string Route, string Path, int Status, string Code)
    {
        public byte[]? Body { get; init; }
        public string? Key { get; init; } = Admin;
        public string? Param { get; init; }

        public Row WithJson(string json) => this with { Body = Encoding.UTF8.GetBytes(json) };

        public override string ToString() => $"{Method} {Path}: {What}";
    }

    private static Row Post(string route, string what, string json, int status, string code, string? param = null, string? path = null) =>
        new Row(what, "POST", route, path ?? route, status, code) { Param = param }.WithJson(json);

    private static Row Put(string route, string what, string json, int status, string code, string? param = null) =>
        new Row(what, "PUT", route, route, status, code) { Param = param }.WithJson(json);

    private static Row Get(string route, string what, string path, int status, string code, string? param = null) =>
        new(what, "GET", route, path, status, code) { Param = param };

    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p)];

    private static string Huge(int bytes) => new('x', bytes);

    private static string Ask(string content) => $$"""{"model":"offline","messages":[{"role":"user","content":{{content}}}]}""";

    public static IEnumerable<Row> Rows()
    {
        // POST /v1/chat/completions
        yield return Post(Chat, "not JSON", "{not json", 400, "invalid_json");
        yield return Post(Chat, "empty body", "", 400, "invalid_json");
        yield return Post(Chat, "JSON null", "null", 400, "invalid_json");
        yield return Post(Chat, "an array instead of an object", "[]", 400, "invalid_json");
        yield return new Row("invalid UTF-8 in a message", "POST", Chat, Chat, 400, "invalid_json")
        {
            Body = Bytes("{\"model\":\"offline\",\"messages\":[{\"role\":\"user\",\"content\":\"", new byte[] { 0xC3, 0x28, 0xFF }, "\"}]}"),
        };
        yield return Post(Chat, "an escaped lone high surrogate", Ask("\"\\ud800\""), 400, "invalid_json");
        yield return Post(Chat, "an escaped lone low surrogate", Ask("\"a\\udc00b\""), 400, "invalid_json");
        yield return Post(Chat, "a high surrogate followed by text", Ask("\"\\ud83dx\""), 400, "invalid_json");
        yield return Post(Chat, "an escaped lone surrogate in a property name", """{"model":"offline","\ud800":1,"messages":[{"role":"user","content":"hi"}]}""", 400, "invalid_json");
        yield return Post(Chat, "a null message", """{"model":"offline","messages":[null]}""", 400, "invalid_type", "messages[0]");
        yield return Post(Chat, "a null tool call",
            """{"model":"offline","messages":[{"role":"assistant","content":null,"tool_calls":[null]},{"role":"user","content":"hi"}]}""", 400, "invalid_type", "messages[0].tool_calls[0]");
        yield return Post(Chat, "a lone surrogate inside tool-call arguments",
            """{"model":"offline","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":\"\\ud800\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"x"}]}""",
            400, "invalid_value", "messages[0].tool_calls[0].function.arguments");
        yield return Post(Chat, "a string where a message object belongs", """{"model":"offline","messages":["hi"]}""", 400, "invalid_type", "messages[0]");
        yield return Post(Chat, "a string where the messages array belongs", """{"model":"offline","messages":"hi"}""", 400, "invalid_type", "messages");
        yield return Post(Chat, "a number where the model name belongs", """{"model":5,"messages":[{"role":"user","content":"hi"}]}""", 400, "invalid_type", "model");
        yield return Post(Chat, "an object where a number belongs", Ask("\"hi\"")[..^1] + ""","max_tokens":{}}""", 400, "invalid_type", "max_tokens");
        yield return Post(Chat, "a number in a text content part", Ask("""[{"type":"text","text":5}]"""), 400, "invalid_type", "messages[0].content[0].text");
        yield return Post(Chat, "a string where a function definition belongs",
            """{"model":"offline","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":"f"}]}""", 400, "invalid_type", "tools[0].function");
        yield return Post(Chat, "no model", """{"messages":[{"role":"user","content":"hi"}]}""", 400, "missing_required_parameter", "model");
        yield return Post(Chat, "no messages", """{"model":"offline"}""", 400, "missing_required_parameter", "messages");
        yield return Post(Chat, "an unknown model", """{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}""", 404, "model_not_found", "model");
        yield return Post(Chat, "an unknown MCP server",
            """{"model":"offline","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"mcp","server_label":"nowhere"}]}""", 400, "unknown_mcp_server", "tools[0].server_label");
        yield return Post(Chat, "a body over Chat:MaxRequestBodyBytes", Ask(JsonSerializer.Serialize(Huge(4 * 1024 * 1024))), 413, "request_too_large");
        yield return Post(Chat, "an API key that does not exist", Ask("\"hi\""), 401, "invalid_api_key") with { Key = "pk-not-a-key" };
        yield return Post(Chat, "more messages than Chat:MaxMessages",
            $$"""{"model":"offline","messages":[{{string.Join(",", Enumerable.Repeat("""{"role":"user","content":"hi"}""", 2049))}}]}""", 400, "array_above_max_length", "messages");
        yield return Post(Chat, "more tools than Chat:MaxTools",
            $$"""{"model":"offline","messages":[{"role":"user","content":"hi"}],"tools":[{{string.Join(",", Enumerable.Range(0, 129).Select(i => $$$"""{"type":"function","function":{"name":"f{{{i}}}"}}"""))}}]}""",
            400, "array_above_max_length", "tools");
        yield return Post(Chat, "tool-call arguments over Chat:MaxToolCallArgumentsBytes",
            $$$"""{"model":"offline","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":{{{JsonSerializer.Serialize("{\"a\":\"" + Huge(1024 * 1024) + "\"}")}}}}}]},{"role":"tool","tool_call_id":"c1","content":"x"}]}""",
            400, "string_above_max_length", "messages[0].tool_calls[0].function.arguments");

        // POST /v1/embeddings
        const string embeddings = "/v1/embeddings";
        yield return Post(embeddings, "not JSON", "{\"model\":", 400, "invalid_json");
        yield return Post(embeddings, "JSON null", "null", 400, "invalid_json");
        yield return new Row("invalid UTF-8 in the input", "POST", embeddings, embeddings, 400, "invalid_json")
        {
            Body = Bytes("{\"model\":\"offline\",\"input\":\"", new byte[] { 0xF0, 0x9F, 0x98 }, "\"}"),
        };
        yield return Post(embeddings, "an escaped lone surrogate in the input", """{"model":"offline","input":["ok","\ud800"]}""", 400, "invalid_json");
        yield return Post(embeddings, "no model", """{"input":"hi"}""", 400, "missing_required_parameter", "model");
        yield return Post(embeddings, "a number where the model name belongs", """{"model":1,"input":"hi"}""", 400, "invalid_type", "model");
        yield return Post(embeddings, "no input", """{"model":"offline"}""", 400, "missing_required_parameter", "input");
        yield return Post(embeddings, "a null input", """{"model":"offline","input":[null]}""", 400, "invalid_type", "input[0]");
        yield return Post(embeddings, "an object where the input belongs", """{"model":"offline","input":{"text":"hi"}}""", 400, "invalid_type", "input");
        yield return Post(embeddings, "an empty input", """{"model":"offline","input":""}""", 400, "invalid_value", "input");
        yield return Post(embeddings, "an empty input array", """{"model":"offline","input":[]}""", 400, "invalid_value", "input");
        yield return Post(embeddings, "tokens instead of text", """{"model":"offline","input":[1,2,3]}""", 400, "unsupported_value", "input[0]");
        yield return Post(embeddings, "arrays of tokens", """{"model":"offline","input":[[1,2]]}""", 400, "unsupported_value", "input[0]");
        yield return Post(embeddings, "an unknown encoding", """{"model":"offline","input":"hi","encoding_format":"hex"}""", 400, "invalid_value", "encoding_format");
        yield return Post(embeddings, "zero dimensions", """{"model":"offline","input":"hi","dimensions":0}""", 400, "invalid_value", "dimensions");
        yield return Post(embeddings, "a string where the dimensions belong", """{"model":"offline","input":"hi","dimensions":"8"}""", 400, "invalid_type", "dimensions");
        yield return Post(embeddings, "an unknown model", """{"model":"no-such-model","input":"hi"}""", 404, "model_not_found", "model");
        yield return Post(embeddings, "a body over Embeddings:MaxRequestBodyBytes", $$"""{"model":"offline","input":"{{Huge(4 * 1024 * 1024)}}"}""", 413, "request_too_large");
        yield return Post(embeddings, "an API key that does not exist", """{"model":"offline","input":"hi"}""", 401, "invalid_api_key") with { Key = "pk-not-a-key" };

        // GET /v1/models
        yield return Get("/v1/models", "an API key that does not exist", "/v1/models", 401, "invalid_api_key") with { Key = "pk-not-a-key" };

        // /v1/admin/keys
        const string keys = "/v1/admin/keys";
        yield return Post(keys, "not JSON", "{\"name\":", 400, "invalid_json");
        yield return Post(keys, "JSON null", "null", 400, "invalid_json");
        yield return new Row("invalid UTF-8 in the name", "POST", keys, keys, 400, "invalid_json") { Body = Bytes("{\"name\":\"", new byte[] { 0xFF }, "\",\"tenant_id\":\"t\"}") };
        yield return Post(keys, "an escaped lone surrogate in the name", """{"name":"\udfff","tenant_id":"t"}""", 400, "invalid_json");
        yield return Post(keys, "a NUL in the name", """{"name":"a\u0000b","tenant_id":"t"}""", 400, "invalid_value", "name");
        yield return Post(keys, "a control character in the tenant", """{"name":"n","tenant_id":"t\n1"}""", 400, "invalid_value", "tenant_id");
        yield return Post(keys, "a number where the name belongs", """{"name":5,"tenant_id":"t"}""", 400, "invalid_type", "name");
        yield return Post(keys, "a string where the scopes array belongs", """{"name":"n","tenant_id":"t","scopes":"all"}""", 400, "invalid_type", "scopes");
        yield return Post(keys, "an object where a number belongs", """{"name":"n","tenant_id":"t","requests_per_minute":{}}""", 400, "invalid_type", "requests_per_minute");
        yield return Post(keys, "no tenant", """{"name":"n"}""", 400, "missing_required_parameter", "tenant_id");
        yield return Post(keys, "a negative limit", """{"name":"n","tenant_id":"t","requests_per_minute":-1}""", 400, "invalid_value", "requests_per_minute");
        yield return Post(keys, "an oversize body", $$"""{"name":"{{Huge(70_000)}}","tenant_id":"t"}""", 413, "request_too_large");
        yield return Post(keys, "no API key", """{"name":"n","tenant_id":"t"}""", 401, "invalid_api_key") with { Key = null };
        yield return Get(keys, "no API key", keys, 401, "invalid_api_key") with { Key = null };
        yield return new Row("a key that does not exist", "DELETE", keys + "/{id:guid}", $"{keys}/{Guid.Empty}", 404, "not_found") { Param = "id" };

        // /v1/usage and /v1/prices
        yield return Get("/v1/usage", "a date that is not one", "/v1/usage?from=yesterday", 400, "invalid_usage_query", "from");
        yield return Get("/v1/usage", "an unknown grouping", "/v1/usage?groupBy=colour", 400, "invalid_usage_query", "groupBy");
        yield return Get("/v1/usage/series", "an unknown bucket", "/v1/usage/series?bucket=week", 400, "invalid_usage_query", "bucket");
        yield return Get("/v1/usage/series", "more buckets than are served", "/v1/usage/series?from=2026-01-01&to=2026-06-01&bucket=minute", 400, "invalid_usage_query", "bucket");
        yield return Get("/v1/usage/series", "an unknown grouping", "/v1/usage/series?groupBy=colour", 400, "invalid_usage_query", "groupBy");
        yield return Get("/v1/usage/requests/{requestId}", "a control character in the request id", "/v1/usage/requests/a%01b", 400, "invalid_request_id", "requestId");
        yield return Get("/v1/usage/requests/{requestId}", "spaces in the request id", "/v1/usage/requests/a%20b", 400, "invalid_request_id", "requestId");
        const string prices = "/v1/prices";
        yield return Put(prices, "not JSON", "{", 400, "invalid_json");
        yield return Put(prices, "an escaped lone surrogate", """{"provider":"p","model":"\ud800x","input_per_million":1,"output_per_million":1}""", 400, "invalid_json");
        yield return Put(prices, "a NUL in the model", """{"provider":"p","model":"m\u0000","input_per_million":1,"output_per_million":1}""", 400, "invalid_value", "model");
        yield return Put(prices, "a word where a price belongs", """{"provider":"p","model":"m","input_per_million":"cheap","output_per_million":1}""", 400, "invalid_type", "input_per_million");
        yield return Put(prices, "a date that is not one", """{"provider":"p","model":"m","input_per_million":1,"output_per_million":1,"effective_from":"soon"}""", 400, "invalid_type", "effective_from");
        yield return Put(prices, "no provider", """{"model":"m","input_per_million":1,"output_per_million":1}""", 400, "missing_required_parameter", "provider");
        yield return Put(prices, "a negative price", """{"provider":"p","model":"m","input_per_million":-1,"output_per_million":1}""", 400, "invalid_price", "input_per_million");
        yield return Put(prices, "a price the column cannot hold", """{"provider":"p","model":"m","input_per_million":1e12,"output_per_million":1}""", 400, "invalid_price", "input_per_million");
        yield return Put(prices, "no API key", """{"provider":"p","model":"m","input_per_million":1,"output_per_million":1}""", 401, "invalid_api_key") with { Key = null };

        // /v1/cache
        yield return Get("/v1/cache/stats", "an API key that does not exist", "/v1/cache/stats", 401, "invalid_api_key") with { Key = "pk-not-a-key" };
        yield return Get("/v1/cache/stats", "no API key (the statistics are admin only)", "/v1/cache/stats", 401, "invalid_api_key") with { Key = null };
        yield return new Row("no API key", "DELETE", "/v1/cache", "/v1/cache", 401, "invalid_api_key") { Key = null };

        // /v1/tools
        yield return Get("/v1/tools", "a page size of zero", "/v1/tools?limit=0", 400, "invalid_limit", "limit");
        yield return Get("/v1/tools", "a page size that is not a number", "/v1/tools?limit=ten", 400, "invalid_request");
        yield return Get("/v1/tools", "an unknown server", "/v1/tools?server=nowhere", 404, "server_not_found", "server");
        yield return Get("/v1/tools/search", "no query", "/v1/tools/search", 400, "missing_query", "q");
        yield return Get("/v1/tools/search", "k out of range", "/v1/tools/search?q=time&k=0", 400, "invalid_k", "k");
        yield return Get("/v1/tools/search", "a query longer than the search accepts", $"/v1/tools/search?q={Huge(1001)}", 400, "string_above_max_length", "q");
        yield return Get("/v1/tools/{name}", "an unknown tool", "/v1/tools/no_such_tool", 404, "tool_not_found", "name");
        const string invoke = "/v1/tools/{name}/invoke";
        const string evaluate = "/v1/tools/evaluate_expression/invoke";
        yield return Post(invoke, "an unknown tool", """{"arguments":{}}""", 404, "tool_not_found", "name", "/v1/tools/no_such_tool/invoke");
        yield return Post(invoke, "not JSON", "{\"arguments\":", 400, "invalid_json", path: evaluate);
        yield return new Row("invalid UTF-8 in an argument", "POST", invoke, evaluate, 400, "invalid_json")
        {
            Body = Bytes("{\"arguments\":{\"expression\":\"1+", new byte[] { 0xE2, 0x82 }, "\"}}"),
        };
        yield return Post(invoke, "an escaped lone surrogate in an argument", """{"arguments":{"expression":"\ud800"}}""", 400, "invalid_json", path: evaluate);
        yield return Post(invoke, "a string where the arguments object belongs", """{"arguments":"1+1"}""", 400, "invalid_arguments", "arguments", evaluate);
        yield return Post(invoke, "arguments that break the tool's schema", """{"arguments":{"expression":5}}""", 422, "invalid_tool_arguments", path: evaluate);
        yield return Post(invoke, "a body over Mcp:MaxInvokeRequestBodyBytes", $$$"""{"arguments":{"expression":"{{{Huge(1_100_000)}}}"}}""", 413, "request_too_large", path: evaluate);
        yield return Post("/v1/tools/refresh", "no API key", "", 401, "invalid_api_key") with { Key = null };

        // The OpenAPI document
        yield return Get("", "an OpenAPI document that does not exist", "/openapi/v9.json", 404, "unknown_url");

        // Routes and methods nobody serves
        yield return Get("", "an unknown URL", "/v1/nothing-here", 404, "unknown_url");
        yield return Get("", "an unknown URL outside /v1", "/nothing-here", 404, "unknown_url");
        yield return new Row("a method the route does not take", "DELETE", "", "/v1/models", 405, "method_not_allowed");
        yield return new Row("GET on a POST endpoint", "GET", "", Chat, 405, "method_not_allowed");
    }

    [Fact]
    public void EveryEndpointHasARowInTheBadInputTable()
    {
        using var _ = api.CreateClient(); // starts the host, which builds the endpoints
        var endpoints = api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => !Exempt.Contains(Normalize(e.RoutePattern.RawText)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {Normalize(e.RoutePattern.RawText)}"))
            .ToHashSet();
        var covered = Rows().Select(r => $"{r.Method} {Normalize(r.Route)}").ToHashSet();

        var missing = endpoints.Where(e => !covered.Contains(e)).Order().ToList();

        Assert.True(missing.Count == 0, $"Endpoints without a bad-input row: {string.Join(", ", missing)}");
        Assert.Contains("POST /v1/chat/completions", endpoints);
    }

    [Fact]
    public void TheEndpointsThatTakeALargeBodyCarryTheirLimitForTheServer()
    {
        using var _ = api.CreateClient();
        var limits = api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>() is not null)
            .ToDictionary(e => Normalize(e.RoutePattern.RawText), e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()!.MaxRequestBodySize);

        // One byte over each setting: the endpoint's reader answers first, naming the setting; the server is the backstop.
        Assert.Equal(4 * 1024 * 1024 + 1, limits[Chat]);
        Assert.Equal(4 * 1024 * 1024 + 1, limits["/v1/embeddings"]);
        Assert.Equal(1024 * 1024 + 1, limits["/v1/tools/{name}/invoke"]);
        Assert.Equal(64 * 1024 + 1, limits["/v1/prices"]);
    }

    [Fact]
    public async Task EveryRowIsA4xxOpenAIErrorWithoutInternalsAndTheServiceStaysHealthy()
    {
        var failures = new List<string>();
        foreach (var row in Rows())
        {
            try
            {
                await CheckAsync(row);
            }
            catch (Exception e)
            {
                failures.Add($"{row}: {e.Message}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} rows failed:\n{string.Join("\n", failures)}");
        using var client = api.CreateClient();
        using var health = await client.GetAsync("/health");
        var report = await health.Content.ReadAsStringAsync();
        Assert.True(health.StatusCode == HttpStatusCode.OK, report);
        Assert.Equal("Healthy", JsonDocument.Parse(report).RootElement.GetProperty("status").GetString());
    }

    private async Task CheckAsync(Row row)
    {
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Path);
        if (row.Key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", row.Key);
        }
        if (row.Body is not null)
        {
            request.Content = new ByteArrayContent(row.Body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == row.Status, $"expected {row.Status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("x-request-id"), "no x-request-id");
        AssertOpenAIError(text, row.Code, row.Param);
    }

    /// <summary>Exactly <c>{"error":{"message","type","param","code"}}</c>, and nothing of .NET in it.</summary>
    internal static void AssertOpenAIError(string text, string code, string? param = null)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var error = Assert.Single(root.EnumerateObject(), p => p.Name == "error").Value;
        Assert.Single(root.EnumerateObject());
        Assert.Equal(["code", "message", "param", "type"], error.EnumerateObject().Select(p => p.Name).Order());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()), "empty message");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()), "empty type");
        Assert.Equal(code, error.GetProperty("code").GetString());
        if (param is not null)
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
        else
        {
            Assert.Contains(error.GetProperty("param").ValueKind, new[] { JsonValueKind.Null, JsonValueKind.String });
        }
        foreach (var leak in new[] { "Exception", "   at ", "System.", "Microsoft.", "Platform.", "Npgsql", "StackTrace", ".cs:line" })
        {
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
        }
    }

    private static string Normalize(string? pattern) => (pattern ?? "").TrimEnd('/');
}
