using System.Numerics.Tensors;
using System.Text.Json;
using Platform.Api.Tools.Catalog;
using Platform.Api.Tools.Search;

namespace Platform.Api.Tests.Tools;

/// <summary>The 8-bit index pass with exact re-scoring ranks tools as an exact float search does.</summary>
public class ToolSearchIndexTests
{
    private const int Dimensions = 384;

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(256)]
    [InlineData(1539)]
    public void TheIntegerDotProductEqualsTheScalarOneAtAnyLength(int length)
    {
        var random = new Random(length);
        var left = new sbyte[length];
        var right = new sbyte[length];
        for (var i = 0; i < length; i++)
        {
            left[i] = (sbyte)random.Next(-127, 128);
            right[i] = (sbyte)random.Next(-127, 128);
        }
        left[0] = right[0] = -127; // the extreme product must not overflow a lane

        var expected = 0;
        for (var i = 0; i < length; i++)
        {
            expected += left[i] * right[i];
        }

        Assert.Equal(expected, Int8Vectors.Dot(left, right));
        var offsetQuery = new byte[length];
        Int8Vectors.OffsetQuery(right, offsetQuery);
        Assert.Equal(expected, Int8Vectors.DotWithOffsetQuery(left, offsetQuery, left.Sum(x => (int)x)));
    }

    [Fact]
    public void QuantizingKeepsTheLargestComponentAtFullScaleAndAZeroVectorAtZero()
    {
        var quantized = new sbyte[4];

        var scale = Int8Vectors.Quantize([0.5f, -1f, 0.25f, 0f], quantized);

        Assert.Equal([64, -127, 32, 0], quantized.Select(q => (int)q));
        Assert.Equal(1f / 127, scale, 6);
        Assert.Equal(0f, Int8Vectors.Quantize([0f, 0f, 0f, 0f], quantized));
        Assert.All(quantized, q => Assert.Equal(0, q));
    }

    [Fact]
    public void TheTopTenOfFiveThousandToolsAreTheExactTopTenForNearlyEveryQuery()
    {
        var random = new Random(7);
        var tools = Enumerable.Range(0, 5_000).Select(i => Tool($"tool_{i}", RandomVector(random))).ToArray();
        var index = new ToolSearchIndex(tools, Dimensions, "model");
        const int k = 10;
        var found = 0;
        var queries = 200;

        for (var q = 0; q < queries; q++)
        {
            var query = RandomVector(random);
            var exact = tools
                .Select(t => (t.ExposedName, Score: TensorPrimitives.Dot(t.Embedding, query) / TensorPrimitives.Norm(t.Embedding)))
                .OrderByDescending(t => t.Score).Take(k).Select(t => t.ExposedName).ToHashSet();

            var hits = index.Search(query, [], k);

            Assert.Equal(k, hits.Length);
            Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score), "hits are not best first");
            found += hits.Count(h => exact.Contains(h.Tool.ExposedName));
        }

        Assert.True(found >= 0.99 * queries * k, $"recall@{k} {(double)found / (queries * k):0.000}");
    }

    [Fact]
    public void ScoresAreTheExactCosineOfTheQueryAndTheTool()
    {
        var random = new Random(11);
        var tool = Tool("only_tool", RandomVector(random));
        var query = RandomVector(random);

        var hit = Assert.Single(new ToolSearchIndex([tool], Dimensions, "model").Search(query, [], 3));

        Assert.Equal(TensorPrimitives.Dot(tool.Embedding, query) / TensorPrimitives.Norm(tool.Embedding), hit.Score, 5);
    }

    [Fact]
    public void ToolsWithoutAnEmbeddingOfTheIndexModelAreFoundByTheirWordsOnly()
    {
        var random = new Random(3);
        var query = RandomVector(random);
        McpTool[] tools = [Tool("weather_today", null), Tool("other_model_tool", query) with { EmbeddingModel = "other" }, Tool("vector_tool", RandomVector(random))];

        var hits = new ToolSearchIndex(tools, Dimensions, "model").Search(query, ["weather"], 3);

        Assert.Equal("weather_today", hits[0].Tool.ExposedName);
        Assert.Equal(0f, hits.Single(h => h.Tool.ExposedName == "other_model_tool").Score);
    }

    private static float[] RandomVector(Random random, int dimensions = Dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            // Gaussian components, as dense embeddings have.
            vector[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        return vector;
    }

    private static McpTool Tool(string name, float[]? embedding) => new()
    {
        ExposedName = name,
        ServerLabel = "test",
        Name = name,
        Description = name.Replace('_', ' '),
        InputSchema = JsonDocument.Parse("{}").RootElement,
        ContentHash = name,
        Embedding = embedding,
        EmbeddingModel = "model",
    };
}
