using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests.Auth;

/// <summary>
/// A clock whose time moves only when a test says so. Only the wall-clock time is manual: timers and
/// elapsed-time measurements stay real, so the rest of the Api runs as usual.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Set(DateTimeOffset now)
    {
        lock (_lock)
        {
            _now = now;
        }
    }

    public void Advance(TimeSpan by) => Set(GetUtcNow() + by);
}

/// <summary>
/// The Api with a <see cref="ManualClock"/> for key expiry, limit windows and budget periods. Prices are
/// re-read on every budgeted call, so a price a test sets applies at once.
/// <see cref="StartAnotherInstance"/> starts a second Api over the same Redis and PostgreSQL.
/// </summary>
public class KeyLimitsFactory : ApiKeyFactory
{
    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));

    protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings =>
        [new("Auth:Limits:PriceRefreshInterval", "00:00:00")];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Another Api process in all but name: its own memory, key cache and limiter, sharing the stores and the clock.</summary>
    public Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<ApiAssembly> StartAnotherInstance() => WithWebHostBuilder(_ => { });
}

/// <summary>Admin and caller calls the key tests make.</summary>
public static class KeyCalls
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> CreateKeyAsync(HttpClient client, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/keys") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiFactory.AdminKey);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.ReadJsonAsync());
    }

    /// <summary>Creates a key from the given fields and returns the secret.</summary>
    public static async Task<string> CreateKeyAsync(ApiFactory api, object body)
    {
        using var client = api.CreateClient();
        var (status, created) = await CreateKeyAsync(client, body);
        Assert.True(status == HttpStatusCode.Created, created.ToString());
        return created.GetProperty("key").GetString()!;
    }

    public static HttpClient ClientWithKey(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<ApiAssembly> api, string key)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static Task<HttpResponseMessage> ChatAsync(HttpClient client, string model = "offline") =>
        client.PostAsync("/v1/chat/completions", new StringContent(
            ApiHttp.UserMessage(model, ApiHttp.Unique("count the tokens of this")), Encoding.UTF8, "application/json"));

    public static async Task<string?> ErrorCodeAsync(HttpResponseMessage response) =>
        (await response.ReadJsonAsync()).GetProperty("error").GetProperty("code").GetString();
}
