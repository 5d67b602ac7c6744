using System.Text;
using Platform.Testing;

namespace Platform.Redis.Tests;

/// <summary>A connection to the shared test Redis, plus unique key names so test classes never collide.</summary>
public abstract class SharedConnection : IAsyncLifetime
{
    private readonly string _prefix = SharedServers.UniquePrefix("redis");

    protected RedisConnection Redis { get; private set; } = null!;

    protected string Key(string name) => _prefix + name;

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(byte[]? bytes) => bytes is null ? "(nil)" : Encoding.UTF8.GetString(bytes);

    public async Task InitializeAsync() => Redis = await RedisConnection.ConnectAsync(await SharedServers.GetRedisConnectionStringAsync());

    public async Task DisposeAsync() => await Redis.DisposeAsync();
}
