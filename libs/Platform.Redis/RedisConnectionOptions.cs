using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Platform.Redis;

/// <summary>
/// How to reach Redis. <see cref="Parse"/> reads the StackExchange.Redis connection string form that
/// Aspire passes in <c>ConnectionStrings__name</c>, so the real client can replace this one later.
/// </summary>
public sealed class RedisConnectionOptions
{
    public const int DefaultPort = 6379;

    private readonly List<(string Host, int Port)> _endPoints = [];

    public IReadOnlyList<(string Host, int Port)> EndPoints => _endPoints;

    public string? User { get; set; }

    public string? Password { get; set; }

    public bool Ssl { get; set; }

    /// <summary>Host name the server certificate must carry; defaults to the endpoint's host.</summary>
    public string? SslHost { get; set; }

    /// <summary>When true, <see cref="RedisConnection.ConnectAsync(string, CancellationToken)"/> throws if the server is unreachable.</summary>
    public bool AbortOnConnectFail { get; set; } = true;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one command may wait for its reply.</summary>
    public TimeSpan SyncTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int DefaultDatabase { get; set; }

    /// <summary>Sent with CLIENT SETNAME so the connection is recognisable in CLIENT LIST.</summary>
    public string? ClientName { get; set; }

    /// <summary>Decides whether the server certificate is trusted; replaces the default chain validation.</summary>
    public Func<X509Certificate?, X509Chain?, SslPolicyErrors, bool>? CertificateValidation { get; set; }

    /// <summary>PEM file of a certificate authority to trust for the server certificate (for example a self-signed CA).</summary>
    public string? RemoteCertificateAuthorityPath { get; set; }

    public void AddEndPoint(string host, int port = DefaultPort)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        _endPoints.Add((host, port));
    }

    public static RedisConnectionOptions Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var options = new RedisConnectionOptions();
        foreach (var rawPart in connectionString.Split(','))
        {
            var part = rawPart.Trim();
            if (part.Length == 0)
            {
                continue;
            }
            var equals = part.IndexOf('=');
            if (equals < 0)
            {
                options._endPoints.Add(ParseEndPoint(part));
            }
            else
            {
                options.Apply(part[..equals].Trim(), part[(equals + 1)..].Trim());
            }
        }
        if (options._endPoints.Count == 0)
        {
            throw new ArgumentException("The Redis connection string names no endpoint (expected host:port).", nameof(connectionString));
        }
        return options;
    }

    private void Apply(string key, string value)
    {
        switch (key.ToLowerInvariant())
        {
            case "password":
                Password = value;
                break;
            case "user":
                User = value;
                break;
            case "ssl":
                Ssl = ParseBoolean(key, value);
                break;
            case "sslhost":
                SslHost = value;
                break;
            case "abortconnect":
                AbortOnConnectFail = ParseBoolean(key, value);
                break;
            case "connecttimeout":
                ConnectTimeout = ParseMilliseconds(key, value);
                break;
            case "synctimeout" or "asynctimeout":
                SyncTimeout = ParseMilliseconds(key, value);
                break;
            case "defaultdatabase":
                DefaultDatabase = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var database)
                    ? database
                    : throw Invalid($"'{key}={value}' is not a database number.");
                break;
            case "name" or "clientname":
                ClientName = value;
                break;
            default:
                throw Invalid($"'{key}' is not a supported Redis connection string option.");
        }
    }

    private static (string Host, int Port) ParseEndPoint(string text)
    {
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                throw Invalid($"'{text}' is not a valid endpoint (unclosed '[').");
            }
            host = text[1..close];
            if (close + 1 < text.Length)
            {
                port = text[(close + 1)..] is [':', .. var rest] ? rest : throw Invalid($"'{text}' is not a valid endpoint.");
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }
        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            throw Invalid($"'{text}' is not a valid endpoint (no host).");
        }
        if (port is null)
        {
            return (host, DefaultPort);
        }
        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535
            ? (host, number)
            : throw Invalid($"'{text}' has an invalid port '{port}'.");
    }

    private static bool ParseBoolean(string key, string value) =>
        bool.TryParse(value, out var result) ? result : throw Invalid($"'{key}={value}' is not true or false.");

    private static TimeSpan ParseMilliseconds(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0
            ? TimeSpan.FromMilliseconds(milliseconds)
            : throw Invalid($"'{key}={value}' is not a positive number of milliseconds.");

    private static ArgumentException Invalid(string message) =>
        new($"Invalid Redis connection string: {message}", "connectionString");
}
