using System.Numerics;
using System.Numerics.Tensors;
using Platform.Api.Tools.Catalog;

namespace Platform.Api.Tools.Search;

/// <summary>
/// The search side of a catalog snapshot. Tool embeddings are held once more as one contiguous
/// row-major matrix of 8-bit integers (tools × dimensions, each row scaled to its largest component),
/// a quarter of the float matrix's size: at 100,000 tools a pass reads 26 MB instead of 100 MB, and
/// memory bandwidth is what bounds a pass at that size. Per tool there are also 256-bit signatures of
/// the terms in its name and in its title/description. A query is scored in one pass (an integer
/// SIMD dot product per row, on AVX-VNNI where the CPU has it, plus a lexical boost from the signatures) into a heap of a few times k
/// candidates, which are then scored exactly on the tools' float embeddings: the ranking is the
/// exact one unless a tool of the true top k fell outside that candidate list. Immutable once built.
/// </summary>
public sealed class ToolSearchIndex
{
    private const int SignatureWords = 4; // 256 bits
    private const float NameBoost = 0.25f;
    private const float DescriptionBoost = 0.08f;
    private const int CandidatesPerResult = 4;

    private readonly McpTool[] _tools;
    private readonly sbyte[] _matrix;
    private readonly int[] _rowSums;        // Σ of each 8-bit row, for the offset-query dot product
    private readonly float[] _rowScales;    // row i's integer dot product × this × the query's scale ≈ cosine
    private readonly float[] _inverseNorms; // 0 for a tool without a usable embedding
    private readonly ulong[] _nameSignatures;
    private readonly ulong[] _textSignatures;

    public ToolSearchIndex(IReadOnlyList<McpTool> tools, int dimensions, string? embeddingModel)
    {
        _tools = [.. tools];
        Dimensions = dimensions;
        EmbeddingModel = embeddingModel;
        _matrix = new sbyte[_tools.Length * dimensions];
        _rowScales = new float[_tools.Length];
        _rowSums = new int[_tools.Length];
        _inverseNorms = new float[_tools.Length];
        _nameSignatures = new ulong[_tools.Length * SignatureWords];
        _textSignatures = new ulong[_tools.Length * SignatureWords];
        for (var i = 0; i < _tools.Length; i++)
        {
            var tool = _tools[i];
            if (tool.Embedding is { } embedding && embedding.Length == dimensions && tool.EmbeddingModel == embeddingModel)
            {
                var norm = TensorPrimitives.Norm(embedding);
                if (norm > 0)
                {
                    _inverseNorms[i] = 1 / norm;
                    var row = _matrix.AsSpan(i * dimensions, dimensions);
                    _rowScales[i] = Int8Vectors.Quantize(embedding, row) / norm;
                    foreach (var component in row)
                    {
                        _rowSums[i] += component;
                    }
                }
            }
            AddTerms(_nameSignatures.AsSpan(i * SignatureWords, SignatureWords), TextTerms.Split(tool.ExposedName));
            AddTerms(_textSignatures.AsSpan(i * SignatureWords, SignatureWords), TextTerms.Split($"{tool.Title} {tool.Description}"));
        }
    }

    public int Dimensions { get; }
    public string? EmbeddingModel { get; }
    public int Count => _tools.Length;

    /// <summary>Top <paramref name="k"/> tools for a query embedding and its keywords, best first.</summary>
    public ToolSearchHit[] Search(ReadOnlySpan<float> query, IReadOnlyList<string> keywords, int k, Func<McpTool, bool>? filter = null)
    {
        if (k <= 0 || _tools.Length == 0)
        {
            return [];
        }
        var useVector = query.Length == Dimensions && Dimensions > 0;
        var querySignature = new ulong[SignatureWords];
        AddTerms(querySignature, keywords);
        var keywordCount = Math.Max(1, keywords.Count);
        var quantizedQuery = useVector ? new sbyte[Dimensions] : [];
        var queryScale = useVector ? Int8Vectors.Quantize(query, quantizedQuery) : 0f;
        byte[]? offsetQuery = null;
        if (useVector && Int8Vectors.OffsetQueryIsFaster)
        {
            offsetQuery = new byte[Dimensions];
            Int8Vectors.OffsetQuery(quantizedQuery, offsetQuery);
        }
        var pass = new Pass(
            useVector, quantizedQuery, offsetQuery, queryScale, querySignature, keywords.Count > 0,
            NameBoost / keywordCount, DescriptionBoost / keywordCount, filter);

        var candidates = new TopK(Math.Min(k * CandidatesPerResult, _tools.Length));
        ScoreEveryTool(pass, candidates);

        var best = new TopK(Math.Min(k, _tools.Length));
        foreach (var i in candidates.Indexes())
        {
            var score = useVector && _inverseNorms[i] > 0 ? TensorPrimitives.Dot(_tools[i].Embedding, query) * _inverseNorms[i] : 0f;
            best.Offer(score + LexicalBoost(i, pass), i);
        }
        return best.Drain(_tools);
    }

    /// <summary>The approximate score of every tool into <paramref name="candidates"/>.</summary>
    private void ScoreEveryTool(Pass pass, TopK candidates)
    {
        for (var i = 0; i < _tools.Length; i++)
        {
            if (pass.Filter is not null && !pass.Filter(_tools[i]))
            {
                continue;
            }
            var score = 0f;
            if (pass.UseVector)
            {
                var row = _matrix.AsSpan(i * Dimensions, Dimensions);
                var dot = pass.OffsetQuery is null
                    ? Int8Vectors.Dot(row, pass.QuantizedQuery)
                    : Int8Vectors.DotWithOffsetQuery(row, pass.OffsetQuery, _rowSums[i]);
                score = dot * _rowScales[i] * pass.QueryScale;
            }
            candidates.Offer(score + LexicalBoost(i, pass), i);
        }
    }

    /// <summary>One query, prepared once for the pass.</summary>
    private sealed record Pass(
        bool UseVector,
        sbyte[] QuantizedQuery,
        byte[]? OffsetQuery,
        float QueryScale,
        ulong[] QuerySignature,
        bool HasKeywords,
        float NameWeight,
        float TextWeight,
        Func<McpTool, bool>? Filter);

    private float LexicalBoost(int i, Pass pass) =>
        !pass.HasKeywords ? 0f
            : pass.NameWeight * Matches(_nameSignatures.AsSpan(i * SignatureWords, SignatureWords), pass.QuerySignature)
              + pass.TextWeight * Matches(_textSignatures.AsSpan(i * SignatureWords, SignatureWords), pass.QuerySignature);

    private static int Matches(ReadOnlySpan<ulong> tool, ReadOnlySpan<ulong> query)
    {
        var count = 0;
        for (var w = 0; w < SignatureWords; w++)
        {
            count += BitOperations.PopCount(tool[w] & query[w]);
        }
        return count;
    }

    private static void AddTerms(Span<ulong> signature, IEnumerable<string> terms)
    {
        foreach (var term in terms)
        {
            var bit = TextTerms.Hash(term, 0x9E3779B9) & 255;
            signature[(int)(bit >> 6)] |= 1UL << (int)(bit & 63);
        }
    }

    /// <summary>A min-heap of the best k scores seen: the root is the one to beat.</summary>
    private sealed class TopK(int capacity)
    {
        private readonly (float Score, int Index)[] _items = new (float, int)[capacity];
        private int _count;

        public void Offer(float score, int index)
        {
            if (_count < _items.Length)
            {
                _items[_count] = (score, index);
                SiftUp(_count++);
            }
            else if (score > _items[0].Score)
            {
                _items[0] = (score, index);
                SiftDown(0);
            }
        }

        public IEnumerable<int> Indexes()
        {
            for (var i = 0; i < _count; i++)
            {
                yield return _items[i].Index;
            }
        }

        public ToolSearchHit[] Drain(McpTool[] tools)
        {
            var hits = new ToolSearchHit[_count];
            for (var i = 0; i < _count; i++)
            {
                hits[i] = new ToolSearchHit(tools[_items[i].Index], _items[i].Score);
            }
            Array.Sort(hits, static (a, b) => b.Score.CompareTo(a.Score));
            return hits;
        }

        private void SiftUp(int i)
        {
            while (i > 0)
            {
                var parent = (i - 1) / 2;
                if (_items[parent].Score <= _items[i].Score)
                {
                    return;
                }
                (_items[parent], _items[i]) = (_items[i], _items[parent]);
                i = parent;
            }
        }

        private void SiftDown(int i)
        {
            while (true)
            {
                var smallest = i;
                var left = 2 * i + 1;
                var right = left + 1;
                if (left < _count && _items[left].Score < _items[smallest].Score)
                {
                    smallest = left;
                }
                if (right < _count && _items[right].Score < _items[smallest].Score)
                {
                    smallest = right;
                }
                if (smallest == i)
                {
                    return;
                }
                (_items[smallest], _items[i]) = (_items[i], _items[smallest]);
                i = smallest;
            }
        }
    }
}
