using Microsoft.AspNetCore.Http;

namespace Platform.Api.Chat;

/// <summary>
/// Every response carries <c>x-request-id</c>: the caller's, when it is a sane token, otherwise a
/// new one. Other features read it with <see cref="GetRequestId"/>.
/// </summary>
public static class RequestIdMiddleware
{
    public const string HeaderName = "x-request-id";
    private const int MaxLength = 128;
    private static readonly object ItemKey = new();

    public static string GetRequestId(this HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var id) && id is string text ? text : Assign(http);

    public static Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var id = Assign(http);
        http.Response.Headers[HeaderName] = id;
        return next(http);
    }

    private static string Assign(HttpContext http)
    {
        var incoming = http.Request.Headers[HeaderName];
        var id = incoming.Count == 1 && IsValid(incoming[0]) ? incoming[0]! : $"req_{Guid.CreateVersion7():N}";
        http.Items[ItemKey] = id;
        return id;
    }

    /// <summary>A sane token: up to 128 letters, digits and <c>-_.:</c>.</summary>
    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return false;
            }
        }
        return true;
    }
}
