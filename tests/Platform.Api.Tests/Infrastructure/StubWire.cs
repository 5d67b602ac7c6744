using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Platform.Api.Tests.Infrastructure;

/// <summary>The stub's OpenAI wire format: completions, and chunks streamed the way OpenAI streams them.</summary>
internal static class StubWire
{
    public static string Completion(StubRequest request, StubReply reply)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content };
        if (reply.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray(reply.ToolCalls.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
            }).ToArray());
        }
        return new JsonObject
        {
            ["id"] = "chatcmpl-stub",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = request.Model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = FinishReason(reply),
            }),
            ["usage"] = Usage(reply),
        }.ToJsonString();
    }

    public static async Task WriteStreamAsync(HttpResponse response, StubRequest request, StubReply reply, CancellationToken cancellationToken, int maxEvents = int.MaxValue)
    {
        response.ContentType = "text/event-stream";
        var sent = 0;
        async Task Send(JsonObject delta, string? finish = null, JsonObject? usage = null, bool noChoices = false)
        {
            if (sent++ >= maxEvents)
            {
                return;
            }
            if (reply.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(reply.ChunkDelay, cancellationToken);
            }
            var chunk = new JsonObject
            {
                ["id"] = "chatcmpl-stub",
                ["object"] = "chat.completion.chunk",
                ["created"] = 1_700_000_000,
                ["model"] = request.Model,
                ["choices"] = noChoices ? new JsonArray() : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
            };
            if (usage is not null)
            {
                chunk["usage"] = usage;
            }
            await response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }

        await Send(new JsonObject { ["role"] = "assistant", ["content"] = "" });
        foreach (var word in (reply.Content ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            await Send(new JsonObject { ["content"] = word + " " });
        }
        for (var i = 0; i < reply.ToolCalls.Count; i++)
        {
            var call = reply.ToolCalls[i];
            await Send(ToolDelta(i, new JsonObject { ["id"] = call.Id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = "" } }));
            foreach (var fragment in call.Arguments.Chunk(5))
            {
                await Send(ToolDelta(i, new JsonObject { ["function"] = new JsonObject { ["arguments"] = new string(fragment) } }));
            }
        }
        await Send(new JsonObject(), FinishReason(reply));
        if (request.Body.TryGetProperty("stream_options", out var options) && options.TryGetProperty("include_usage", out var include) && include.GetBoolean())
        {
            await Send(new JsonObject(), usage: Usage(reply), noChoices: true);
        }
        if (sent <= maxEvents)
        {
            await response.WriteAsync("data: [DONE]\n\n", cancellationToken);
        }
    }

    private static JsonObject ToolDelta(int index, JsonObject call)
    {
        call["index"] = index;
        return new JsonObject { ["tool_calls"] = new JsonArray(call) };
    }

    private static string FinishReason(StubReply reply) => reply.ToolCalls.Count > 0 ? "tool_calls" : "stop";

    private static JsonObject Usage(StubReply reply) => new()
    {
        ["prompt_tokens"] = reply.PromptTokens,
        ["completion_tokens"] = reply.CompletionTokens,
        ["total_tokens"] = reply.PromptTokens + reply.CompletionTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = reply.CachedTokens },
        ["completion_tokens_details"] = new JsonObject { ["reasoning_tokens"] = reply.ReasoningTokens },
    };

    /// <summary>The stub's embedding of one input: <paramref name="dimensions"/> values that depend on the text and its place.</summary>
    public static float[] Vector(string input, int index, int dimensions) =>
        [.. Enumerable.Range(0, dimensions).Select(j => (input.Length + index * 10 + j) / 100f)];

    /// <summary>An OpenAI embeddings response, in the encoding the request asked for (the SDK asks for base64).</summary>
    public static string Embeddings(StubRequest request, StubReply reply)
    {
        var body = request.Body;
        var inputs = body.GetProperty("input") switch
        {
            { ValueKind: JsonValueKind.String } single => [single.GetString()!],
            var many => many.EnumerateArray().Select(i => i.GetString()!).ToList(),
        };
        var dimensions = body.TryGetProperty("dimensions", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt32() : 4;
        var base64 = body.TryGetProperty("encoding_format", out var f) && f.GetString() == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = Vector(inputs[i], i, dimensions);
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = base64
                    ? JsonValue.Create(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan())))
                    : new JsonArray(vector.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
            });
        }
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = body.GetProperty("model").GetString(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = reply.PromptTokens, ["total_tokens"] = reply.PromptTokens },
        }.ToJsonString();
    }
}
