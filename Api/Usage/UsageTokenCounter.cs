using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Platform.Api.Usage;

/// <summary>
/// Counts tokens when the provider did not say (a stream the client abandoned before the provider's
/// usage chunk, or a provider that reports none), with the encoding of the model's family: o200k_base
/// for the gpt-4o, gpt-4.1, o-series and gpt-5 families, cl100k_base otherwise. The encodings' data
/// ship in their NuGet packages, so nothing is downloaded. Counts are close, not exact (message framing
/// is approximated), which is why such records are marked estimated.
/// </summary>
public sealed class UsageTokenCounter
{
    // Tokens OpenAI adds around each message and before the answer (the chat format's framing).
    private const int TokensPerMessage = 3;
    private const int ReplyPriming = 3;

    private static readonly string[] O200kFamilies = ["gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4"];

    private readonly Lazy<Tokenizer> _o200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));
    private readonly Lazy<Tokenizer> _cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));
    private readonly ConcurrentDictionary<string, bool> _usesO200k = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The encoding used for <paramref name="model"/>: "o200k_base" or "cl100k_base".</summary>
    public string EncodingFor(string model) => UsesO200k(model) ? "o200k_base" : "cl100k_base";

    public int CountText(string model, string text) => text.Length == 0 ? 0 : TokenizerFor(model).CountTokens(text);

    public int CountInput(string model, IEnumerable<ChatMessage> messages)
    {
        var tokenizer = TokenizerFor(model);
        var total = ReplyPriming;
        foreach (var message in messages)
        {
            total += TokensPerMessage + tokenizer.CountTokens(message.Role.Value);
            foreach (var content in message.Contents)
            {
                total += content switch
                {
                    TextContent text => tokenizer.CountTokens(text.Text),
                    FunctionCallContent call => tokenizer.CountTokens(call.Name) + tokenizer.CountTokens(Pipeline.FunctionCallArguments.ToJson(call)),
                    FunctionResultContent result => tokenizer.CountTokens(Pipeline.FunctionCallArguments.ResultToText(result.Result)),
                    _ => 0,
                };
            }
        }
        return total;
    }

    private Tokenizer TokenizerFor(string model) => UsesO200k(model) ? _o200k.Value : _cl100k.Value;

    private bool UsesO200k(string model) => _usesO200k.GetOrAdd(model, static m =>
    {
        // "openai/gpt-4o-mini", "gpt-4o-2024-08-06", "o3-mini": the family is the name's start, after any provider prefix.
        var name = m[(m.LastIndexOf('/') + 1)..];
        return O200kFamilies.Any(family => name.StartsWith(family, StringComparison.OrdinalIgnoreCase)
            && (name.Length == family.Length || name[family.Length] is '-' or '.' or ':' or '_'));
    });
}
