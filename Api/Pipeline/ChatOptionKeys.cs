namespace Platform.Api.Pipeline;

/// <summary>
/// Keys of <c>ChatOptions.AdditionalProperties</c> the gateway sets from the wire request. Besides these,
/// every top-level field the gateway does not interpret is there under its wire name, holding its JSON.
/// </summary>
public static class ChatOptionKeys
{
    /// <summary>OpenAI's <c>user</c>: the caller's end-user id, forwarded to the provider.</summary>
    public const string EndUserId = "user";

    /// <summary>OpenAI's <c>parallel_tool_calls</c>, as the caller sent it.</summary>
    public const string ParallelToolCalls = "parallel_tool_calls";

    /// <summary><c>response_format.json_schema.strict</c>.</summary>
    public const string StrictJsonSchema = "strictJsonSchema";

    /// <summary>An image part's <c>detail</c> (low/high/auto), on the content's AdditionalProperties.</summary>
    public const string ImageDetail = "detail";
}
