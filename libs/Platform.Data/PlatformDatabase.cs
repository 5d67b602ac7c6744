using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.Data;

public static class PlatformDatabase
{
    // Any constant works; it only has to be the same in every process that migrates.
    private const long MigrationLockKey = 0x506C6174666F726D; // "Platform"

    /// <summary>
    /// Applies pending migrations. Several Workers may start at once: a session-level advisory
    /// lock lets one migrate while the others wait, then find nothing left to apply.
    /// </summary>
    public static async Task MigrateAsync(PlatformDbContext db, CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Options every host applies, and <c>dotnet ef</c> too (through <see cref="PlatformDbContextFactory"/>).
    /// Migrating with a model that differs from the migrations' snapshot throws (EF Core's default,
    /// stated here so that no host relaxes it): the change needs a migration first.
    /// </summary>
    public static DbContextOptionsBuilder ConfigureOptions(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Throw(RelationalEventId.PendingModelChangesWarning));

    /// <summary>Options for tools and tests that use the context outside a host.</summary>
    public static DbContextOptions<PlatformDbContext> CreateOptions(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<PlatformDbContext>();
        builder.UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure());
        ConfigureOptions(builder);
        return builder.Options;
    }
}
