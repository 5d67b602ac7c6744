using Platform.Api.Chat;

namespace Platform.Api.Infrastructure;

/// <summary>
/// Rules for short identifiers a request gives (key names, tenants, provider and model names):
/// what PostgreSQL text columns, logs and headers can carry. PostgreSQL refuses a NUL in text, so an
/// unchecked one would reach the database and fail there as a server error.
/// </summary>
public static class RequestText
{
    public const int MaxNameLength = 200;

    /// <summary>Throws a 400 naming <paramref name="param"/> when the value is missing (if required), too long or has control characters.</summary>
    public static string? CheckName(string? value, string param, bool required = true, int maxLength = MaxNameLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required
                ? throw ChatGatewayException.BadRequest($"'{param}' is required.", param, "missing_required_parameter")
                : null;
        }
        if (value.Length > maxLength)
        {
            throw ChatGatewayException.BadRequest($"'{param}' is longer than {maxLength} characters.", param);
        }
        if (value.AsSpan().ContainsAnyInRange('\0', '\x1f') || value.Contains('\x7f'))
        {
            throw ChatGatewayException.BadRequest($"'{param}' must not contain control characters.", param);
        }
        return value;
    }
}
