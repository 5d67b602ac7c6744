using System.Text;
using Platform.Api.Chat.Wire;

namespace Platform.Api.Chat;

/// <summary>
/// Counts a body's size limit alone does not bound: a 4 MiB body holds a hundred thousand tiny messages
/// or tools, each of which becomes objects, a part of the cache key and a line of the provider request.
/// Every limit is a setting of <see cref="ChatGatewayOptions"/> and is answered 400 naming the field.
/// </summary>
public static class ChatRequestLimits
{
    public static void Check(ChatCompletionRequest request, ChatGatewayOptions options)
    {
        if (request.Messages is { } messages)
        {
            if (messages.Count > options.MaxMessages)
            {
                throw ChatGatewayException.BadRequest(
                    $"'messages' has {messages.Count} messages; at most {options.MaxMessages} are accepted (Chat:MaxMessages).", "messages", "array_above_max_length");
            }
            for (var i = 0; i < messages.Count; i++)
            {
                CheckToolCalls(messages[i]?.ToolCalls, i, options);
            }
        }
        if (request.Tools is { Count: var tools } && tools > options.MaxTools)
        {
            throw ChatGatewayException.BadRequest(
                $"'tools' has {tools} entries; at most {options.MaxTools} are accepted (Chat:MaxTools).", "tools", "array_above_max_length");
        }
    }

    private static void CheckToolCalls(List<WireToolCall>? calls, int message, ChatGatewayOptions options)
    {
        for (var j = 0; j < (calls?.Count ?? 0); j++)
        {
            if (calls![j]?.Function?.Arguments is { } arguments
                // Cheap first: a UTF-8 byte is at most one char, and a char at most three bytes.
                && arguments.Length * 3L > options.MaxToolCallArgumentsBytes
                && Encoding.UTF8.GetByteCount(arguments) > options.MaxToolCallArgumentsBytes)
            {
                var param = $"messages[{message}].tool_calls[{j}].function.arguments";
                throw ChatGatewayException.BadRequest(
                    $"'{param}' is larger than {options.MaxToolCallArgumentsBytes} bytes (Chat:MaxToolCallArgumentsBytes).", param, "string_above_max_length");
            }
        }
    }
}
