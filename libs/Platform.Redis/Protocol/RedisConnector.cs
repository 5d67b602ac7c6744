using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Platform.Redis.Protocol;

/// <summary>Opens a socket to the first reachable endpoint, wraps it in TLS when asked, then AUTH / SELECT / CLIENT SETNAME.</summary>
internal static class RedisConnector
{
    public static async Task<RedisPhysicalConnection> ConnectAsync(
        RedisConnectionOptions options,
        Func<Stream, (string Host, int Port), RedisPhysicalConnection> create,
        CancellationToken cancellationToken)
    {
        Exception? lastError = null;
        foreach (var endPoint in options.EndPoints)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            RedisPhysicalConnection? connection = null;
            try
            {
                var stream = await OpenStreamAsync(options, endPoint, timeout.Token);
                connection = create(stream, endPoint);
                connection.Start();
                await HandshakeAsync(connection, options, timeout.Token);
                return connection;
            }
            catch (Exception error)
            {
                // Also when the caller cancelled (the client is being disposed): a started connection
                // left behind would keep its socket and its read/write loops alive.
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                lastError = error is OperationCanceledException
                    ? new TimeoutException($"No connection within {options.ConnectTimeout.TotalMilliseconds:0} ms.", error)
                    : error;
            }
        }
        var endPoints = string.Join(", ", options.EndPoints.Select(e => $"{e.Host}:{e.Port}"));
        throw new RedisConnectionException($"Could not connect to Redis at {endPoints}: {lastError?.Message}", lastError);
    }

    private static async Task<Stream> OpenStreamAsync(RedisConnectionOptions options, (string Host, int Port) endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint.Host, endPoint.Port, cancellationToken);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (!options.Ssl)
            {
                return stream;
            }
            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = options.SslHost ?? endPoint.Host,
                    RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ValidateCertificate(options, certificate, chain, errors),
                }, cancellationToken);
                return tls;
            }
            catch
            {
                await tls.DisposeAsync();
                throw;
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool ValidateCertificate(RedisConnectionOptions options, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (options.CertificateValidation is { } validate)
        {
            return validate(certificate, chain, errors);
        }
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        // A private CA (Aspire's dev certificate, a test CA) is trusted only for the chain; the name must still match.
        if (options.RemoteCertificateAuthorityPath is { } path && certificate is X509Certificate2 server && errors == SslPolicyErrors.RemoteCertificateChainErrors)
        {
            using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            using var customChain = new X509Chain();
            customChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            customChain.ChainPolicy.CustomTrustStore.Add(authority);
            customChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return customChain.Build(server);
        }
        return false;
    }

    private static async Task HandshakeAsync(RedisPhysicalConnection connection, RedisConnectionOptions options, CancellationToken cancellationToken)
    {
        var steps = new List<(string Name, RedisRequest<RedisReply> Request)>();
        if (options.Password is { } password)
        {
            steps.Add(("AUTH", new RedisRequest<RedisReply>("AUTH", options.User is { } user ? [user, password] : [password], static r => r)));
        }
        if (options.DefaultDatabase != 0)
        {
            steps.Add(("SELECT", new RedisRequest<RedisReply>("SELECT", [options.DefaultDatabase], static r => r)));
        }
        if (options.ClientName is { } name)
        {
            steps.Add(("CLIENT SETNAME", new RedisRequest<RedisReply>("CLIENT", ["SETNAME", name], static r => r)));
        }
        // A PING proves the server answers commands (not just accepts sockets, like a loading replica).
        steps.Add(("PING", new RedisRequest<RedisReply>("PING", [], static r => r)));
        foreach (var (_, request) in steps)
        {
            if (!connection.TrySubmit(request))
            {
                throw connection.CloseReason ?? new RedisConnectionException("The connection closed during the handshake.");
            }
        }
        foreach (var (stepName, request) in steps)
        {
            try
            {
                await request.Task.WaitAsync(cancellationToken);
            }
            catch (RedisServerException error)
            {
                throw new RedisConnectionException($"Redis rejected {stepName}: {error.Message}", error);
            }
        }
    }
}
