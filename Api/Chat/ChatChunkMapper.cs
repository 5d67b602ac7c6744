using Microsoft.Extensions.AI;
using Platform.Api.Chat.Wire;
using Platform.Api.Pipeline;

namespace Platform.Api.Chat;

/// <summary>
/// <see cref="ChatResponseUpdate"/>s → OpenAI <c>chat.completion.chunk</c>s, the way OpenAI streams:
/// the role first, text deltas, each tool call as (index, id, name) then argument fragments, the
/// finish reason, and usage in a last chunk without choices when the client asked for it.
/// A tool loop streams several model rounds as one answer: the calls the gateway ran and their results
/// are not the caller's, the finish reason is the last round's, and usage is the sum of all rounds.
/// </summary>
public sealed class ChatChunkMapper(string fallbackModel, IList<AITool>? requestTools = null)
{
    private const int ArgumentFragmentLength = 64;
    private string? _id;
    private string? _model;
    private long _created;
    private bool _roleSent;
    private int _nextToolIndex;
    private ChatFinishReason? _finishReason;

    public UsageDetails? Usage { get; private set; }

    public IEnumerable<ChatCompletionChunk> Map(ChatResponseUpdate update)
    {
        _id ??= update.ResponseId ?? ChatResponseMapper.NewCompletionId();
        _model ??= update.ModelId ?? fallbackModel;
        if (_created == 0)
        {
            _created = (update.CreatedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        }

        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } text:
                    yield return Chunk(new WireDelta { Content = text.Text });
                    break;
                case FunctionCallContent call when ChatResponseMapper.IsCallersCall(call, requestTools):
                    foreach (var chunk in ToolCallChunks(call))
                    {
                        yield return chunk;
                    }
                    break;
                case UsageContent usage:
                    Usage ??= new UsageDetails();
                    Usage.Add(usage.Details);
                    break;
            }
        }

        // Held until the end: a round that ends in server-side tool calls is not the answer's end.
        _finishReason = update.FinishReason ?? _finishReason;
    }

    /// <summary>The closing chunk: the last round's finish reason (stop when none came).</summary>
    public ChatCompletionChunk Finish()
    {
        var reason = _finishReason ?? ChatFinishReason.Stop;
        if (reason == ChatFinishReason.ToolCalls && _nextToolIndex == 0)
        {
            // The calls were the gateway's own and the rounds ran out: for the caller the answer simply ends.
            reason = ChatFinishReason.Stop;
        }
        var chunk = Chunk(new WireDelta());
        chunk.Choices[0].FinishReason = reason.Value;
        return chunk;
    }

    public ChatCompletionChunk UsageChunk() => new()
    {
        Id = _id ?? ChatResponseMapper.NewCompletionId(),
        Created = _created,
        Model = _model ?? fallbackModel,
        Choices = [],
        Usage = ChatResponseMapper.ToWire(Usage) ?? new WireUsage(),
    };

    private IEnumerable<ChatCompletionChunk> ToolCallChunks(FunctionCallContent call)
    {
        var index = _nextToolIndex++;
        yield return Chunk(new WireDelta
        {
            ToolCalls = [new WireToolCall { Index = index, Id = call.CallId, Type = "function", Function = new WireFunctionCall { Name = call.Name, Arguments = "" } }],
        });
        var arguments = FunctionCallArguments.ToJson(call);
        for (var start = 0; start < arguments.Length; start += ArgumentFragmentLength)
        {
            var fragment = arguments.Substring(start, Math.Min(ArgumentFragmentLength, arguments.Length - start));
            yield return Chunk(new WireDelta
            {
                ToolCalls = [new WireToolCall { Index = index, Function = new WireFunctionCall { Arguments = fragment } }],
            });
        }
    }

    private ChatCompletionChunk Chunk(WireDelta delta)
    {
        if (!_roleSent)
        {
            delta.Role = "assistant";
            _roleSent = true;
        }
        return new ChatCompletionChunk
        {
            Id = _id!,
            Created = _created,
            Model = _model!,
            Choices = [new WireChunkChoice { Index = 0, Delta = delta }],
        };
    }
}
