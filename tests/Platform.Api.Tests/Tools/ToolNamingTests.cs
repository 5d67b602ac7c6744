using Platform.Api.Tools.Catalog;

namespace Platform.Api.Tests.Tools;

public class ToolNamingTests
{
    [Fact]
    public void ANameOfferedByTwoServersIsPrefixedWithEachServerLabel()
    {
        var names = ToolNaming.Assign([("alpha", "search"), ("beta", "search"), ("alpha", "echo")]);

        Assert.Equal("alpha_search", names[("alpha", "search")]);
        Assert.Equal("beta_search", names[("beta", "search")]);
        Assert.Equal("echo", names[("alpha", "echo")]);
    }

    [Fact]
    public void NamesDoNotDependOnListingOrder()
    {
        (string, string)[] tools = [("b", "x"), ("a", "x"), ("a", "y"), ("c", "weird name!")];
        var forward = ToolNaming.Assign(tools);
        var backward = ToolNaming.Assign(tools.Reverse());

        Assert.Equal(forward.OrderBy(p => p.Key).ToList(), backward.OrderBy(p => p.Key).ToList());
    }

    [Fact]
    public void EveryExposedNameIsAValidOpenAIFunctionNameAndUnique()
    {
        var longName = new string('n', 100);
        var names = ToolNaming.Assign([("s1", longName), ("s1", longName + "2"), ("s2", "dots.and spaces"), ("s3", "ünïcode"), ("s4", "")]);

        Assert.All(names.Values, n => Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", n));
        Assert.Equal(names.Count, names.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal("dots_and_spaces", names[("s2", "dots.and spaces")]);
    }

    [Fact]
    public void APrefixedNameNeverTakesAnotherToolsPlainName()
    {
        // "a_x" is a real tool of server b; the clash of "x" on a and c must not steal it.
        var names = ToolNaming.Assign([("a", "x"), ("c", "x"), ("b", "a_x")]);

        Assert.Equal("a_x", names[("b", "a_x")]);
        Assert.NotEqual("a_x", names[("a", "x")]);
        Assert.Equal(3, names.Values.Distinct().Count());
    }
}
