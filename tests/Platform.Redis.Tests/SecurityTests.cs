using System.Net.Security;
using Platform.Testing;

namespace Platform.Redis.Tests;

public class SecurityTests
{
    [Fact]
    public async Task TlsConnectionTrustsTheServerThroughItsCertificateAuthority()
    {
        await using var server = await RedisServer.LaunchAsync(new RedisServerOptions { Tls = true, Password = "s3cret" });
        var options = RedisConnectionOptions.Parse(server.ConnectionString);
        options.RemoteCertificateAuthorityPath = server.CertificateAuthorityPath;

        await using var redis = await RedisConnection.ConnectAsync(options);

        Assert.True(await redis.SetAsync("tls", "over tls"u8.ToArray()));
        Assert.Equal("over tls"u8.ToArray(), await redis.GetAsync("tls"));
    }

    [Fact]
    public async Task TlsConnectionAcceptsACustomValidationCallback()
    {
        await using var server = await RedisServer.LaunchAsync(new RedisServerOptions { Tls = true });
        var options = RedisConnectionOptions.Parse(server.ConnectionString);
        var seenErrors = SslPolicyErrors.None;
        options.CertificateValidation = (certificate, _, errors) =>
        {
            seenErrors = errors;
            return certificate?.Subject == "CN=localhost";
        };

        await using var redis = await RedisConnection.ConnectAsync(options);

        await redis.PingAsync();
        Assert.Equal(SslPolicyErrors.RemoteCertificateChainErrors, seenErrors);
    }

    [Fact]
    public async Task UntrustedCertificateIsRefused()
    {
        await using var server = await RedisServer.LaunchAsync(new RedisServerOptions { Tls = true });

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisConnection.ConnectAsync(server.ConnectionString.Replace("abortConnect=false", "abortConnect=true")));

        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task PasswordIsSentWithAuth()
    {
        await using var server = await RedisServer.LaunchAsync(new RedisServerOptions { Password = "pa55" });
        await using var redis = await RedisConnection.ConnectAsync(server.ConnectionString);

        await redis.PingAsync();
        var noPassword = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisConnection.ConnectAsync($"127.0.0.1:{server.Port}"));
        var wrongPassword = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisConnection.ConnectAsync($"127.0.0.1:{server.Port},password=nope"));

        Assert.Contains("NOAUTH", noPassword.Message);
        Assert.Contains("WRONGPASS", wrongPassword.Message);
    }

    [Fact]
    public async Task UserAndPasswordAuthenticateAnAclUser()
    {
        await using var server = await RedisServer.LaunchAsync(new RedisServerOptions { Password = "admin" });
        await using (var admin = await RedisConnection.ConnectAsync(server.ConnectionString))
        {
            await admin.ExecuteAsync("ACL", ["SETUSER", "app", "on", ">app-pass", "~app:*", "+@all"]);
        }

        await using var redis = await RedisConnection.ConnectAsync($"127.0.0.1:{server.Port},user=app,password=app-pass,defaultDatabase=2");

        Assert.Equal("app", (await redis.ExecuteAsync("ACL", ["WHOAMI"])).AsString());
        await redis.SetAsync("app:k", "v"u8.ToArray());
        Assert.Equal("NOPERM", (await Assert.ThrowsAsync<RedisServerException>(() => redis.GetAsync("other:k"))).ErrorPrefix);
        Assert.Contains("db2:keys=1", await redis.InfoAsync("keyspace"));
    }
}
