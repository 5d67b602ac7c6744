using System.Text;
using Microsoft.EntityFrameworkCore;
using Platform.Data.Entities;

namespace Platform.Data;

/// <summary>
/// The platform's database. Table and column names are snake_case so that the Worker's bulk
/// writes and the Api's usage queries read naturally in SQL. The schema is created by the
/// migrations in Migrations/, generated from this model by `dotnet ef migrations add`.
/// </summary>
public sealed class PlatformDbContext(DbContextOptions<PlatformDbContext> options) : DbContext(options)
{
    public DbSet<UsageRecordEntity> UsageRecords => Set<UsageRecordEntity>();
    public DbSet<ModelPriceEntity> ModelPrices => Set<ModelPriceEntity>();
    public DbSet<McpServerEntity> McpServers => Set<McpServerEntity>();
    public DbSet<McpToolEntity> McpTools => Set<McpToolEntity>();
    public DbSet<ApiKeyEntity> ApiKeys => Set<ApiKeyEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UsageRecordEntity>(usage =>
        {
            usage.ToTable("usage_records");
            usage.HasKey(u => u.Id);
            usage.Property(u => u.Id).ValueGeneratedNever();
            usage.Property(u => u.Cost).HasPrecision(20, 10);
            usage.HasIndex(u => u.CreatedAt);
            usage.HasIndex(u => new { u.Model, u.CreatedAt });
            usage.HasIndex(u => new { u.TenantId, u.CreatedAt });
            usage.HasIndex(u => u.RequestId);
        });

        modelBuilder.Entity<ModelPriceEntity>(price =>
        {
            price.ToTable("model_prices");
            price.Property(p => p.InputPerMillion).HasPrecision(20, 10);
            price.Property(p => p.OutputPerMillion).HasPrecision(20, 10);
            price.Property(p => p.CachedInputPerMillion).HasPrecision(20, 10);
            price.HasIndex(p => new { p.Provider, p.Model, p.EffectiveFrom }).IsUnique();
        });

        modelBuilder.Entity<McpServerEntity>(server =>
        {
            server.ToTable("mcp_servers");
            server.HasIndex(s => s.Name).IsUnique();
            server.HasMany(s => s.Tools).WithOne(t => t.Server).HasForeignKey(t => t.ServerId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<McpToolEntity>(tool =>
        {
            tool.ToTable("mcp_tools");
            tool.Property(t => t.InputSchema).HasColumnType("jsonb");
            tool.Property(t => t.OutputSchema).HasColumnType("jsonb");
            tool.Property(t => t.Annotations).HasColumnType("jsonb");
            tool.Property(t => t.Embedding).HasColumnType("real[]");
            tool.HasIndex(t => new { t.ServerId, t.Name }).IsUnique();
            tool.HasIndex(t => t.ExposedName).IsUnique();
        });

        modelBuilder.Entity<ApiKeyEntity>(key =>
        {
            key.ToTable("api_keys");
            key.Property(k => k.Id).ValueGeneratedNever();
            key.HasIndex(k => k.KeyHash).IsUnique();
            key.HasIndex(k => k.TenantId);
            key.Property(k => k.BudgetUsd).HasPrecision(20, 10);
            key.Property(k => k.BudgetPeriod).HasMaxLength(16);
        });

        UseSnakeCaseColumns(modelBuilder);
    }

    private static void UseSnakeCaseColumns(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName($"ix_{entity.GetTableName()}_{string.Join("_", index.Properties.Select(p => ToSnakeCase(p.Name)))}");
            }
            foreach (var key in entity.GetKeys().Where(k => k.IsPrimaryKey()))
            {
                key.SetName($"pk_{entity.GetTableName()}");
            }
            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName($"fk_{entity.GetTableName()}_{foreignKey.PrincipalEntityType.GetTableName()}");
            }
        }
    }

    public static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
