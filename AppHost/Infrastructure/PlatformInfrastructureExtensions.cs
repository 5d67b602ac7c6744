using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.AppHost.Infrastructure;

/// <summary>Redis and the platform database, whichever way <see cref="InfrastructureMode"/> provides them.</summary>
/// <param name="Redis">The <c>redis</c> connection string (cache L2, usage stream, pub/sub, rate limits).</param>
/// <param name="Database">The <c>platformdb</c> connection string.</param>
/// <param name="DatabaseReady">What to wait for before the database accepts connections.</param>
public sealed record PlatformInfrastructure(
    InfrastructureMode Mode,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResource> DatabaseReady);

public static class PlatformInfrastructureExtensions
{
    /// <summary>Where local mode keeps its data (<c>Infrastructure__DataDirectory</c>).</summary>
    public const string DataDirectoryKey = "Infrastructure:DataDirectory";

    public static PlatformInfrastructure AddPlatformInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var mode = InfrastructureModes.Resolve(builder);
        return mode == InfrastructureMode.Local ? AddLocal(builder) : AddContainers(builder);
    }

    private static PlatformInfrastructure AddContainers(IDistributedApplicationBuilder builder)
    {
        var redis = builder.AddRedis(ResourceNames.Redis).WithPersistence();
        var postgres = builder.AddPostgres(ResourceNames.Postgres);
        if (builder.ExecutionContext.IsRunMode)
        {
            // Keep local data across runs; a deployment uses the platform's own storage.
            redis.WithDataVolume();
            postgres.WithDataVolume();
        }
        var database = postgres.AddDatabase(ResourceNames.Database);
        return new(InfrastructureMode.Containers, redis, database, database);
    }

    private static PlatformInfrastructure AddLocal(IDistributedApplicationBuilder builder)
    {
        var dataDirectory = builder.Configuration[DataDirectoryKey] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : DefaultDataDirectory(builder.AppHostDirectory);
        var scripts = Path.Combine(builder.AppHostDirectory, "Infrastructure");

        var redisPassword = builder.AddParameter("redis-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        var redis = builder.AddResource(new LocalRedisResource(ResourceNames.Redis, Path.Combine(scripts, "local-redis.sh"), scripts, redisPassword.Resource))
            .WithEndpoint(name: LocalRedisResource.EndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                var resource = (LocalRedisResource)context.Resource;
                context.Args.Add(resource.Endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add(Path.Combine(dataDirectory, "redis"));
            })
            .WithEnvironment("REDIS_PASSWORD", redisPassword)
            .WithHealthCheck(AddRedisHealthCheck(builder));

        // Postgres keeps the password it was initialised with, so the generated one is persisted.
        var postgresPassword = builder.AddParameter("postgres-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        var postgresData = Path.Combine(dataDirectory, "postgres");
        var postgresScript = Path.Combine(scripts, "local-postgres.sh");
        var initdb = builder.AddExecutable($"{ResourceNames.Postgres}-init", postgresScript, scripts, "init", postgresData, ResourceNames.Database)
            .WithEnvironment("POSTGRES_PASSWORD", postgresPassword);
        var server = builder.AddResource(new LocalPostgresServerResource(ResourceNames.Postgres, postgresScript, scripts, postgresPassword.Resource))
            .WithEndpoint(name: LocalPostgresServerResource.EndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                var resource = (LocalPostgresServerResource)context.Resource;
                context.Args.Add("run");
                context.Args.Add(postgresData);
                context.Args.Add(resource.Endpoint.Property(EndpointProperty.TargetPort));
            })
            .WaitForCompletion(initdb);
        initdb.WithParentRelationship(server);

        var database = builder.AddConnectionString(ResourceNames.Database,
            ReferenceExpression.Create($"{server.Resource.ConnectionStringExpression};Database={ResourceNames.Database}"));
        // Ready means the platform database accepts a query, not merely that the port is open.
        server.WithHealthCheck(AddPostgresHealthCheck(builder, database.Resource));

        return new(InfrastructureMode.Local, redis, database, server);
    }

    private static string AddRedisHealthCheck(IDistributedApplicationBuilder builder)
    {
        const string name = "local-redis";
        builder.Services.AddHealthChecks().AddRedis(services => ConnectionString(builder, ResourceNames.Redis), name);
        return name;
    }

    private static string AddPostgresHealthCheck(IDistributedApplicationBuilder builder, IResourceWithConnectionString database)
    {
        const string name = "local-postgres";
        builder.Services.AddHealthChecks().AddNpgSql(services => ConnectionString(builder, database.Name), name: name);
        return name;
    }

    // Health checks run only once the resource has started, when its endpoint has a port.
    private static string ConnectionString(IDistributedApplicationBuilder builder, string resourceName)
    {
        var resource = builder.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == resourceName);
        return resource.GetConnectionStringAsync().AsTask().GetAwaiter().GetResult()
            ?? throw new InvalidOperationException($"The connection string of '{resourceName}' is not available yet.");
    }

    /// <summary>
    /// A directory per checkout under the temporary directory: PostgreSQL runs as its own user when
    /// the AppHost runs as root, and that user must be able to reach the data directory.
    /// </summary>
    private static string DefaultDataDirectory(string appHostDirectory)
    {
        var checkout = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(appHostDirectory)))[..12];
        return Path.Combine(Path.GetTempPath(), $"platform-apphost-{checkout}");
    }
}
