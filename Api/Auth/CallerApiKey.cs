using Platform.Data.Entities;

namespace Platform.Api.Auth;

/// <summary>
/// The limits of the key that authenticated the request, set as a request feature by
/// <see cref="ApiKeyAuthenticationHandler"/> for <see cref="KeyLimitsMiddleware"/> and the model checks.
/// Absent for anonymous and admin callers, who have no limits.
/// </summary>
public sealed class CallerApiKey
{
    public required Guid Id { get; init; }
    public required string TenantId { get; init; }
    /// <summary>Empty: every model.</summary>
    public required string[] AllowedModels { get; init; }
    public int? RequestsPerMinute { get; init; }
    public int? TokensPerMinute { get; init; }
    public decimal? BudgetUsd { get; init; }
    public BudgetPeriod BudgetPeriod { get; init; }

    public bool HasLimits => RequestsPerMinute is not null || TokensPerMinute is not null || BudgetUsd is not null;

    public static CallerApiKey From(ApiKeyEntity key) => new()
    {
        Id = key.Id,
        TenantId = key.TenantId,
        AllowedModels = key.AllowedModels,
        RequestsPerMinute = key.RequestsPerMinute,
        TokensPerMinute = key.TokensPerMinute,
        BudgetUsd = key.BudgetUsd,
        BudgetPeriod = BudgetPeriods.TryParse(key.BudgetPeriod, out var period) ? period : BudgetPeriod.Monthly,
    };
}
