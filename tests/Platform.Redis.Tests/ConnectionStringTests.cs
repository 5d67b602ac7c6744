namespace Platform.Redis.Tests;

public class ConnectionStringTests
{
    [Fact]
    public void AspireConnectionStringIsReadCompletely()
    {
        var options = RedisConnectionOptions.Parse(
            "cache.internal:6380,redis2,password=p=ss,user=app,ssl=true,abortConnect=false,connectTimeout=1500,syncTimeout=250,defaultDatabase=3,sslHost=redis.example,name=api");

        Assert.Equal([("cache.internal", 6380), ("redis2", 6379)], options.EndPoints);
        Assert.Equal("p=ss", options.Password);
        Assert.Equal("app", options.User);
        Assert.True(options.Ssl);
        Assert.False(options.AbortOnConnectFail);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.SyncTimeout);
        Assert.Equal(3, options.DefaultDatabase);
        Assert.Equal("redis.example", options.SslHost);
        Assert.Equal("api", options.ClientName);
    }

    [Fact]
    public void DefaultsMatchStackExchangeRedis()
    {
        var options = RedisConnectionOptions.Parse("localhost");

        Assert.Equal([("localhost", 6379)], options.EndPoints);
        Assert.True(options.AbortOnConnectFail);
        Assert.False(options.Ssl);
        Assert.Equal(TimeSpan.FromSeconds(5), options.SyncTimeout);
        Assert.Equal(0, options.DefaultDatabase);
    }

    [Fact]
    public void SslDoesNotChangeTheDefaultPort()
    {
        var options = RedisConnectionOptions.Parse("[::1],ssl=true");

        Assert.Equal([("::1", 6379)], options.EndPoints);
    }

    [Theory]
    [InlineData("localhost:6379,colour=blue", "colour")]
    [InlineData("localhost:abc", "abc")]
    [InlineData("localhost:70000", "70000")]
    [InlineData("localhost,ssl=yes", "ssl=yes")]
    [InlineData("localhost,connectTimeout=-5", "connectTimeout=-5")]
    [InlineData("localhost,defaultDatabase=x", "defaultDatabase=x")]
    [InlineData("password=secret", "no endpoint")]
    [InlineData("", "no endpoint")]
    public void InvalidPartsAreNamedInTheError(string connectionString, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => RedisConnectionOptions.Parse(connectionString));

        Assert.Contains(expected, error.Message);
    }
}
