using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Platform.Api.Tests.Infrastructure;

namespace Platform.Api.Tests;

/// <summary>/health names the dependencies and their errors: only operators may read that much.</summary>
public sealed class HealthPrivacyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");

    [Fact]
    public async Task ARemoteCallerSeesOnlyTheHealthStatus()
    {
        var health = await GetHealthAsync(Remote, key: null);

        Assert.Equal(["status"], health.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ARemoteCallerWithTheAdminKeySeesEveryEntry()
    {
        var health = await GetHealthAsync(Remote, ApiFactory.AdminKey);

        Assert.True(health.GetProperty("entries").EnumerateObject().Any());
    }

    [Fact]
    public async Task ARemoteCallerWithAnotherKeySeesOnlyTheStatus()
    {
        var health = await GetHealthAsync(Remote, "not-the-admin-key");

        Assert.False(health.TryGetProperty("entries", out _));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task ALoopbackCallerSeesEveryEntry(string address)
    {
        var health = await GetHealthAsync(IPAddress.Parse(address), key: null);

        Assert.True(health.GetProperty("entries").EnumerateObject().Any());
    }

    private async Task<JsonElement> GetHealthAsync(IPAddress from, string? key)
    {
        var context = await api.Server.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Get;
            http.Request.Path = "/health";
            http.Connection.RemoteIpAddress = from;
            if (key is not null)
            {
                http.Request.Headers.Authorization = $"Bearer {key}";
            }
        });
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return document.RootElement.Clone();
    }
}
