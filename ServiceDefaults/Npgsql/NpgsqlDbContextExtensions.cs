using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>Settings of <see cref="NpgsqlDbContextExtensions.AddNpgsqlDbContext{TContext}"/>, named as Aspire names them.</summary>
public sealed class NpgsqlEntityFrameworkCorePostgreSQLSettings
{
    public const string SectionName = "Aspire:Npgsql:EntityFrameworkCore:PostgreSQL";

    public string? ConnectionString { get; set; }
    public bool DisableRetry { get; set; }
    public bool DisableHealthChecks { get; set; }
    public int? CommandTimeout { get; set; }
}

/// <summary>Equivalent of Aspire's <c>AddNpgsqlDbContext</c> client integration.</summary>
public static class NpgsqlDbContextExtensions
{
    /// <summary>
    /// Registers a pooled <typeparamref name="TContext"/> on the connection string
    /// <c>ConnectionStrings:{connectionName}</c>, with retry on transient failures and a health check.
    /// Npgsql traces and meters itself; ServiceDefaults exports its "Npgsql" source and meter.
    /// </summary>
    public static IHostApplicationBuilder AddNpgsqlDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlEntityFrameworkCorePostgreSQLSettings>? configureSettings = null,
        Action<DbContextOptionsBuilder>? configureDbContextOptions = null)
        where TContext : DbContext
    {
        var settings = new NpgsqlEntityFrameworkCorePostgreSQLSettings();
        builder.Configuration.GetSection(NpgsqlEntityFrameworkCorePostgreSQLSettings.SectionName).Bind(settings);
        settings.ConnectionString ??= builder.Configuration.GetConnectionString(connectionName);
        configureSettings?.Invoke(settings);

        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionString is missing. It should be provided in 'ConnectionStrings:{connectionName}' " +
                $"(environment variable ConnectionStrings__{connectionName}).");
        }

        builder.Services.AddDbContextPool<TContext>(options =>
        {
            options.UseNpgsql(settings.ConnectionString, npgsql =>
            {
                if (!settings.DisableRetry)
                {
                    npgsql.EnableRetryOnFailure();
                }
                if (settings.CommandTimeout is { } timeout)
                {
                    npgsql.CommandTimeout(timeout);
                }
            });
            configureDbContextOptions?.Invoke(options);
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().AddDbContextCheck<TContext>($"postgres-{connectionName}");
        }
        return builder;
    }
}
