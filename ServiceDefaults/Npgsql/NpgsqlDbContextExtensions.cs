using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace Microsoft.Extensions.Hosting;

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
        Action<NpgsqlDbContextOptionsBuilder>? configureNpgsql = null)
        where TContext : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionString is missing. It should be provided in 'ConnectionStrings:{connectionName}' " +
                $"(environment variable ConnectionStrings__{connectionName}).");
        }

        builder.Services.AddDbContextPool<TContext>(options => options.UseNpgsql(connectionString, npgsql =>
        {
            npgsql.EnableRetryOnFailure();
            configureNpgsql?.Invoke(npgsql);
        }));

        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>($"postgres-{connectionName}");
        return builder;
    }
}
