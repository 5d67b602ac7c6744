namespace Platform.Api.Pipeline;

/// <summary>Keys of <c>ChatOptions.AdditionalProperties</c> the gateway sets from the wire request.</summary>
public static class ChatOptionKeys
{
    /// <summary>OpenAI's <c>user</c>: the caller's end-user id, forwarded to the provider.</summary>
    public const string EndUserId = "user";

    /// <summary><c>response_format.json_schema.strict</c>.</summary>
    public const string StrictJsonSchema = "strictJsonSchema";

    /// <summary>An image part's <c>detail</c> (low/high/auto), on the content's AdditionalProperties.</summary>
    public const string ImageDetail = "detail";
}
