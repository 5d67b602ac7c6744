using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Platform.Api.Chat;

/// <summary>
/// Every response carries <c>x-request-id</c>, always made by the gateway: usage records, logs and error
/// messages are found by it, so two requests must never share one, whatever a client sends. A client's own
/// <c>x-request-id</c> (when it is a sane token) is kept apart: echoed as <c>x-client-request-id</c>, tagged on
/// the request's trace and in its log scope. Other features read them with <see cref="GetRequestId"/> and
/// <see cref="GetClientRequestId"/>.
/// </summary>
public static class RequestIdMiddleware
{
    public const string HeaderName = "x-request-id";
    public const string ClientHeaderName = "x-client-request-id";
    public const string ClientRequestIdTag = "platform.client_request_id";
    private const int MaxLength = 128;
    private static readonly object ItemKey = new();
    private static readonly object ClientItemKey = new();

    public static string GetRequestId(this HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var id) && id is string text ? text : Assign(http);

    /// <summary>The caller's own id for the request, when it sent a sane one.</summary>
    public static string? GetClientRequestId(this HttpContext http) =>
        http.Items.TryGetValue(ClientItemKey, out var id) ? id as string : null;

    public static async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var id = Assign(http);
        http.Response.Headers[HeaderName] = id;
        if (http.GetClientRequestId() is not { } clientId)
        {
            await next(http);
            return;
        }
        http.Response.Headers[ClientHeaderName] = clientId;
        Activity.Current?.SetTag(ClientRequestIdTag, clientId);
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestIdMiddleware));
        using (logger.BeginScope(new KeyValuePair<string, object>[] { new("RequestId", id), new("ClientRequestId", clientId) }))
        {
            await next(http);
        }
    }

    private static string Assign(HttpContext http)
    {
        var id = $"req_{Guid.CreateVersion7():N}";
        http.Items[ItemKey] = id;
        var incoming = http.Request.Headers[HeaderName];
        if (incoming.Count == 1 && IsValid(incoming[0]))
        {
            http.Items[ClientItemKey] = incoming[0];
        }
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
