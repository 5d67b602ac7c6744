namespace Platform.Redis.Tests;

public class StringCommandTests : SharedConnection
{
    [Fact]
    public async Task SetValueIsReadBackByteForByte()
    {
        var value = Enumerable.Range(0, 70_000).Select(i => (byte)(i % 256)).ToArray();

        Assert.True(await Redis.SetAsync(Key("binary"), value));

        Assert.Equal(value, await Redis.GetAsync(Key("binary")));
    }

    [Fact]
    public async Task MissingKeyReadsAsNull()
    {
        Assert.Null(await Redis.GetAsync(Key("missing")));
    }

    [Fact]
    public async Task SetIfNotExistsKeepsTheFirstValue()
    {
        Assert.True(await Redis.SetAsync(Key("nx"), Bytes("first"), onlyIfNotExists: true));
        Assert.False(await Redis.SetAsync(Key("nx"), Bytes("second"), onlyIfNotExists: true));

        Assert.Equal("first", Text(await Redis.GetAsync(Key("nx"))));
    }

    [Fact]
    public async Task ExpiryIsVisibleThroughPTtl()
    {
        await Redis.SetAsync(Key("ttl"), Bytes("v"), TimeSpan.FromMinutes(1));
        await Redis.SetAsync(Key("forever"), Bytes("v"));

        var ttl = await Redis.PTtlAsync(Key("ttl"));

        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
        Assert.Null(await Redis.PTtlAsync(Key("forever")));
        Assert.Null(await Redis.PTtlAsync(Key("none")));
        Assert.True(await Redis.PExpireAsync(Key("forever"), TimeSpan.FromMinutes(2)));
        Assert.False(await Redis.PExpireAsync(Key("none"), TimeSpan.FromMinutes(2)));
        Assert.InRange((await Redis.PTtlAsync(Key("forever")))!.Value, TimeSpan.FromSeconds(100), TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task ExpiredKeyDisappears()
    {
        await Redis.SetAsync(Key("short"), Bytes("v"), TimeSpan.FromMilliseconds(20));
        await Task.Delay(100);

        Assert.Null(await Redis.GetAsync(Key("short")));
    }

    [Fact]
    public async Task MGetReturnsValuesInKeyOrderWithNullsForMissingKeys()
    {
        await Redis.SetAsync(Key("a"), Bytes("A"));
        await Redis.SetAsync(Key("c"), Bytes("C"));

        var values = await Redis.MGetAsync([Key("a"), Key("b"), Key("c")]);

        Assert.Equal(["A", "(nil)", "C"], values.Select(Text));
    }

    [Fact]
    public async Task DeleteAndExistsCountKeys()
    {
        await Redis.SetAsync(Key("d1"), Bytes("1"));
        await Redis.SetAsync(Key("d2"), Bytes("2"));

        Assert.Equal(2, await Redis.ExistsAsync([Key("d1"), Key("d2"), Key("d3")]));
        Assert.Equal(2, await Redis.DeleteAsync([Key("d1"), Key("d2"), Key("d3")]));
        Assert.Equal(0, await Redis.ExistsAsync([Key("d1"), Key("d2")]));
    }

    [Fact]
    public async Task WrongTypeSurfacesAsServerErrorWithItsPrefix()
    {
        await Redis.XAddAsync(Key("stream"), [new("f", Bytes("v"))]);

        var error = await Assert.ThrowsAsync<RedisServerException>(() => Redis.GetAsync(Key("stream")));

        Assert.Equal("WRONGTYPE", error.ErrorPrefix);
    }

    [Fact]
    public async Task UnicodeKeysAndValuesRoundTrip()
    {
        await Redis.ExecuteAsync("SET", [Key("ключ-🔑"), "значение-✓"]);

        Assert.Equal("значение-✓", Text(await Redis.GetAsync(Key("ключ-🔑"))));
    }
}
