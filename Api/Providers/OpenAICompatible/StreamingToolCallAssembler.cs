using System.Text;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;

namespace Platform.Api.Providers.OpenAICompatible;

/// <summary>
/// Collects the fragments of streamed tool calls (id and name first, then argument pieces, keyed by
/// index) into whole <see cref="FunctionCallContent"/>s, which is what the pipeline's middleware needs.
/// </summary>
internal sealed class StreamingToolCallAssembler
{
    private readonly SortedDictionary<int, PartialCall> _calls = [];

    public void Add(int index, string? id, string? name, string? argumentsFragment)
    {
        if (!_calls.TryGetValue(index, out var call))
        {
            _calls[index] = call = new PartialCall();
        }
        call.Id ??= id;
        call.Name ??= name;
        call.Arguments.Append(argumentsFragment);
    }

    public List<AIContent> TakeCompletedCalls()
    {
        var completed = new List<AIContent>(_calls.Count);
        foreach (var (index, call) in _calls)
        {
            completed.Add(FunctionCallArguments.CreateCall(call.Id ?? $"call_{index}", call.Name ?? "", call.Arguments.ToString()));
        }
        _calls.Clear();
        return completed;
    }

    private sealed class PartialCall
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public StringBuilder Arguments { get; } = new();
    }
}
