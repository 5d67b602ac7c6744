using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using Platform.Api.Pipeline;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Platform.Api.Providers.OpenAICompatible;

/// <summary>
/// The provider for every OpenAI-compatible endpoint (OpenAI, Azure OpenAI v1, Ollama, vLLM, LM Studio):
/// Microsoft.Extensions.AI.OpenAI's <see cref="IChatClient"/> over the official SDK, whose transport is
/// the provider's own HttpClient (<see cref="ProviderHttpClients"/>: it alone retries, and only calls
/// that were never worked on). Around it, what a gateway needs and the package does not do:
/// <list type="bullet">
/// <item>request fields the gateway does not interpret (<see cref="ChatOptions.AdditionalProperties"/>
/// holding their JSON) reach the provider as sent, through the SDK's JSON patch;</item>
/// <item>the caller's tool schemas and <c>response_format</c> schema are sent as written (the package
/// would add <c>required</c>/<c>additionalProperties</c> or rewrite them for strict mode);</item>
/// <item>a tool call's arguments keep the text the model wrote, both ways: a caller gets its calls back
/// untouched, and calls in the history go back to the model as they were written (the package would
/// re-serialize the parsed arguments, and send <c>null</c> for arguments that were not JSON);</item>
/// <item>a refusal is the answer's text, streamed or not (the package keeps it only beside tool calls when streaming);</item>
/// <item>failures become <see cref="UpstreamProviderException"/> (status, timeout or broken answer).</item>
/// </list>
/// </summary>
public sealed class OpenAIProviderChatClient : DelegatingChatClient
{
    private const string RefusalCode = "Refusal";
    private readonly string _providerName;
    private readonly ChatClientMetadata _metadata;

    private OpenAIProviderChatClient(IChatClient inner, string providerName, ChatClientMetadata metadata) : base(inner)
    {
        _providerName = providerName;
        _metadata = metadata;
    }

    public static OpenAIProviderChatClient Create(string providerName, ProviderOptions options, HttpClient httpClient)
    {
        var model = options.Models.FirstOrDefault() ?? "default";
        var inner = ProviderOpenAIClient.Create(options, httpClient).GetChatClient(model).AsIChatClient();
        var metadata = new ChatClientMetadata(ProviderOpenAIClient.IsAzure(options) ? "azure.ai.openai" : "openai", ProviderOpenAIClient.EndpointOf(options), model);
        return new OpenAIProviderChatClient(inner, providerName, metadata);
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(Forwarded(messages), Forwarded(options), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (UpstreamErrorTranslator.Translate(_providerName, e, cancellationToken) is { } translated)
        {
            throw translated;
        }
        foreach (var message in response.Messages)
        {
            for (var i = 0; i < message.Contents.Count; i++)
            {
                switch (message.Contents[i])
                {
                    case FunctionCallContent { RawRepresentation: ChatToolCall { FunctionArguments: { } arguments } } call:
                        KeepRawArguments(call, arguments.ToString());
                        break;
                    case ErrorContent { ErrorCode: RefusalCode } refusal:
                        message.Contents[i] = new TextContent(refusal.Message);
                        break;
                }
            }
        }
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            updates = base.GetStreamingResponseAsync(Forwarded(messages), Forwarded(options), cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception e) when (UpstreamErrorTranslator.Translate(_providerName, e, cancellationToken) is { } translated)
        {
            throw translated;
        }
        await using (updates.ConfigureAwait(false))
        {
            // The package joins argument fragments into whole calls at the end; the fragments' text is the model's own.
            Dictionary<int, StringBuilder>? fragments = null;
            Dictionary<string, int>? indexById = null;
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception e) when (UpstreamErrorTranslator.Translate(_providerName, e, cancellationToken) is { } translated)
                {
                    throw translated;
                }
                var update = updates.Current;
                if (update.RawRepresentation is StreamingChatCompletionUpdate { RefusalUpdate: { Length: > 0 } refusal })
                {
                    update.Contents.Add(new TextContent(refusal));
                }
                if (update.RawRepresentation is StreamingChatCompletionUpdate { ToolCallUpdates.Count: > 0 } raw)
                {
                    foreach (var fragment in raw.ToolCallUpdates)
                    {
                        fragments ??= [];
                        if (!fragments.TryGetValue(fragment.Index, out var text))
                        {
                            fragments[fragment.Index] = text = new StringBuilder();
                        }
                        if (fragment.ToolCallId is { } id)
                        {
                            (indexById ??= new(StringComparer.Ordinal))[id] = fragment.Index;
                        }
                        if (fragment.FunctionArgumentsUpdate is { } arguments && !arguments.ToMemory().IsEmpty)
                        {
                            text.Append(arguments.ToString());
                        }
                    }
                }
                if (indexById is not null)
                {
                    foreach (var call in update.Contents.OfType<FunctionCallContent>())
                    {
                        if (indexById.TryGetValue(call.CallId, out var index))
                        {
                            KeepRawArguments(call, fragments![index].ToString());
                        }
                    }
                    // Already streamed as text above.
                    update.Contents = update.Contents.Where(c => c is not ErrorContent { ErrorCode: RefusalCode }).ToList();
                }
                yield return update;
            }
        }
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata : base.GetService(serviceType, serviceKey);

    private static void KeepRawArguments(FunctionCallContent call, string arguments) =>
        (call.AdditionalProperties ??= [])[FunctionCallArguments.RawArgumentsKey] = string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments;

    /// <summary>The messages the package sees: assistant turns with tool calls as the SDK's own message, arguments as written.</summary>
    private static IEnumerable<ChatMessage> Forwarded(IEnumerable<ChatMessage> messages)
    {
        if (!messages.Any(m => m.Role == ChatRole.Assistant && m.RawRepresentation is null && m.Contents.Any(c => c is FunctionCallContent)))
        {
            return messages;
        }
        return messages.Select(message =>
        {
            if (message.Role != ChatRole.Assistant || message.RawRepresentation is not null || !message.Contents.Any(c => c is FunctionCallContent))
            {
                return message;
            }
            var calls = message.Contents.OfType<FunctionCallContent>()
                .Select(c => ChatToolCall.CreateFunctionToolCall(c.CallId, c.Name, BinaryData.FromString(FunctionCallArguments.ToJson(c))));
            var assistant = new AssistantChatMessage(calls);
            if (message.Text is { Length: > 0 } text)
            {
                assistant.Content.Add(ChatMessageContentPart.CreateTextPart(text));
            }
            if (message.AuthorName is { Length: > 0 } name)
            {
                assistant.ParticipantName = name;
            }
            // A copy: the caller's message (and the cache key computed from it) stays as it was.
            return new ChatMessage(message.Role, message.Contents) { AuthorName = message.AuthorName, RawRepresentation = assistant };
        }).ToList();
    }

    /// <summary>The options the package sees: its own mapping, plus a JSON patch with what it must not reshape.</summary>
    private static ChatOptions? Forwarded(ChatOptions? options)
    {
        if (options is null || (options.AdditionalProperties is not { Count: > 0 } && options.Tools is not { Count: > 0 } && options.ResponseFormat is not ChatResponseFormatJson))
        {
            return options; // nothing the package would reshape: no copy on the common path
        }
        var forwarded = options.Clone();
        forwarded.RawRepresentationFactory = _ => CreateOpenAIOptions(options);
        return forwarded;
    }

#pragma warning disable SCME0001 // JsonPatch is marked experimental; it is the SDK's way to send fields it has no property for.
    private static ChatCompletionOptions CreateOpenAIOptions(ChatOptions options)
    {
        var result = new ChatCompletionOptions();
        if (options.AdditionalProperties is { Count: > 0 } additional)
        {
            foreach (var (name, value) in additional)
            {
                if (value is JsonElement json)
                {
                    result.Patch.Set(Encoding.UTF8.GetBytes(PatchPath(name)), BinaryData.FromString(json.GetRawText()));
                }
            }
        }
        if (options.Tools?.OfType<AIFunctionDeclaration>().ToList() is { Count: > 0 } functions)
        {
            result.Patch.Set("$.tools"u8, WriteTools(functions));
        }
        if (options.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } format)
        {
            result.Patch.Set("$.response_format"u8, WriteJsonSchemaFormat(format, schema, options));
        }
        return result;
    }
#pragma warning restore SCME0001

    // A top-level member: dotted when the name allows, bracketed otherwise.
    private static string PatchPath(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? "$." + name : "$['" + name.Replace("'", "\\'", StringComparison.Ordinal) + "']";

    private static BinaryData WriteTools(List<AIFunctionDeclaration> functions)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var function in functions)
            {
                json.WriteStartObject();
                json.WriteString("type"u8, "function"u8);
                json.WriteStartObject("function"u8);
                json.WriteString("name"u8, function.Name);
                if (!string.IsNullOrEmpty(function.Description))
                {
                    json.WriteString("description"u8, function.Description);
                }
                json.WritePropertyName("parameters"u8);
                function.JsonSchema.WriteTo(json);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return new BinaryData(buffer.ToArray());
    }

    private static BinaryData WriteJsonSchemaFormat(ChatResponseFormatJson format, JsonElement schema, ChatOptions options)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type"u8, "json_schema"u8);
            json.WriteStartObject("json_schema"u8);
            json.WriteString("name"u8, format.SchemaName ?? "response");
            if (format.SchemaDescription is { } description)
            {
                json.WriteString("description"u8, description);
            }
            json.WritePropertyName("schema"u8);
            schema.WriteTo(json);
            if (options.AdditionalProperties?.TryGetValue(ChatOptionKeys.StrictJsonSchema, out var strict) == true && strict is bool isStrict)
            {
                json.WriteBoolean("strict"u8, isStrict);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return new BinaryData(buffer.ToArray());
    }
}
