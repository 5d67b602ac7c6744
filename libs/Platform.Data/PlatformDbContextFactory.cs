using Microsoft.EntityFrameworkCore.Design;

namespace Platform.Data;

/// <summary>
/// Creates the context for <c>dotnet ef</c> without starting a host, with the options every host
/// uses. <c>migrations add</c> and <c>migrations script</c> never connect, so the default connection
/// string only has to parse; for commands that do (<c>database update</c>) set Aspire's
/// <c>ConnectionStrings__platformdb</c> or pass <c>--connection</c>.
/// </summary>
public sealed class PlatformDbContextFactory : IDesignTimeDbContextFactory<PlatformDbContext>
{
    private const string DesignTimeConnectionString = "Host=localhost;Database=platformdb;Username=postgres";

    public PlatformDbContext CreateDbContext(string[] args) =>
        new(PlatformDatabase.CreateOptions(
            Environment.GetEnvironmentVariable("ConnectionStrings__platformdb") is { Length: > 0 } configured
                ? configured
                : DesignTimeConnectionString));
}
