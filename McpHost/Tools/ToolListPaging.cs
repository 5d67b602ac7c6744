using System.Buffers.Text;
using System.Text;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Platform.McpHost.Tools;

/// <summary>
/// Pages tools/list when <see cref="McpHostOptions.ToolsPageSize"/> is set. The SDK lists a tool collection in
/// one answer, so this filter asks it for the whole list and returns one page of it, sorted by name. The
/// cursor is the last name returned (opaque to clients, as the spec requires): a tool enabled or disabled
/// between pages neither repeats nor hides the others.
/// </summary>
internal static class ToolListPaging
{
    public static McpRequestHandler<ListToolsRequestParams, ListToolsResult> Filter(
        McpRequestHandler<ListToolsRequestParams, ListToolsResult> next, IOptionsMonitor<McpHostOptions> options) =>
        async (request, cancellationToken) =>
        {
            var pageSize = options.CurrentValue.ToolsPageSize;
            var cursor = request.Params?.Cursor;
            if (pageSize <= 0 && cursor is null)
            {
                return await next(request, cancellationToken);
            }

            var after = cursor is null ? null : DecodeCursor(cursor);
            // The SDK adds the collection's tools only to a first page, so ask for that one.
            request.Params = new ListToolsRequestParams { Meta = request.Params?.Meta };
            var all = await next(request, cancellationToken);

            var sorted = all.Tools.OrderBy(t => t.Name, StringComparer.Ordinal)
                .SkipWhile(t => after is not null && string.CompareOrdinal(t.Name, after) <= 0)
                .ToList();
            var page = pageSize > 0 ? sorted.Take(pageSize).ToList() : sorted;
            return new ListToolsResult
            {
                Tools = page,
                NextCursor = page.Count < sorted.Count ? EncodeCursor(page[^1].Name) : null,
                Meta = all.Meta,
            };
        };

    private static string EncodeCursor(string lastName) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastName));

    private static string DecodeCursor(string cursor)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw new McpProtocolException($"Invalid cursor '{cursor}': pass the nextCursor of a previous tools/list.", McpErrorCode.InvalidParams);
        }
    }
}
