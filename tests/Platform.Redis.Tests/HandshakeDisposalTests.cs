using System.Net;
using System.Net.Sockets;

namespace Platform.Redis.Tests;

public class HandshakeDisposalTests
{
    [Fact]
    public async Task DisposingTheClientWhileTheHandshakeWaitsForAnAnswerClosesTheSocket()
    {
        // A server that accepts the socket but never answers (like one stuck loading): the handshake hangs.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var options = new RedisConnectionOptions { ConnectTimeout = TimeSpan.FromSeconds(60), AbortOnConnectFail = false };
        options.AddEndPoint("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);

        var redis = RedisConnection.Create(options);
        using var accepted = await listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10));
        // Once the handshake's PING has arrived the client is waiting for its answer.
        var buffer = new byte[1024];
        var received = new System.Text.StringBuilder();
        while (!received.ToString().Contains("PING", StringComparison.Ordinal))
        {
            var count = await accepted.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(count > 0, "The client closed the socket before sending its handshake.");
            received.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, count));
        }

        await redis.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        // The client must have closed its end: the next read sees end of stream.
        var reading = Task.Run(async () =>
        {
            while (await accepted.ReceiveAsync(buffer) > 0)
            {
            }
        });
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
