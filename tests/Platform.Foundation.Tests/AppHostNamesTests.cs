using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.Extensions.Hosting;

namespace Platform.Foundation.Tests;

/// <summary>
/// The AppHost cannot be built here (no Aspire packages), so its source is read with Roslyn and its
/// resource names are checked against the names the services read from configuration.
/// </summary>
public sealed class AppHostNamesTests
{
    private static readonly string Root = RepositoryRoot.Find();
    private static readonly IReadOnlyList<InvocationExpressionSyntax> Calls = ParseAppHostCalls();

    [Fact]
    public void RedisResourceNameIsTheConnectionNameTheServicesRead() =>
        Assert.Equal([ResourceNames.Redis], NamesPassedTo("AddRedis"));

    [Fact]
    public void DatabaseResourceNameIsTheConnectionNameTheServicesRead()
    {
        Assert.Equal([ResourceNames.Postgres], NamesPassedTo("AddPostgres"));
        Assert.Equal([ResourceNames.Database], NamesPassedTo("AddDatabase"));
    }

    [Fact]
    public void ProjectResourcesAreNamedAsServiceDiscoveryExpects()
    {
        var projects = Calls
            .Where(c => c.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax { Identifier.Text: "AddProject" } })
            .ToDictionary(c => FirstStringArgument(c)!, c => ((GenericNameSyntax)((MemberAccessExpressionSyntax)c.Expression).Name).TypeArgumentList.Arguments.Single().ToString());

        Assert.Equal(
            new Dictionary<string, string>
            {
                [ResourceNames.McpHost] = "Projects.Platform_McpHost",
                [ResourceNames.Worker] = "Projects.Platform_Worker",
                [ResourceNames.Api] = "Projects.Platform_Api",
            },
            projects);

        // Projects.Platform_X is generated from the referenced project file's name.
        foreach (var type in projects.Values)
        {
            var projectName = type["Projects.".Length..].Replace('_', '.');
            Assert.Single(Directory.GetFiles(Root, projectName + ".csproj", SearchOption.AllDirectories));
        }
    }

    [Fact]
    public void ParametersAreTheOnesTheServicesExpect()
    {
        var parameters = NamesPassedTo("AddParameter");
        Assert.Contains(ResourceNames.McpTokenParameter, parameters);
        Assert.Contains(ResourceNames.ProviderKeyParameter, parameters);
    }

    [Fact]
    public void ServicesThatReceiveAConnectionReadItUnderTheSameName()
    {
        // WithReference(redis) gives a project ConnectionStrings__redis; the project must read that name.
        var servicesReadingRedis = ServicesCalling("AddRedisClient(ResourceNames.Redis");
        var servicesReadingDatabase = ServicesCalling($"AddNpgsqlDbContext<PlatformDbContext>(ResourceNames.Database");

        Assert.Equal(["Api", "Worker"], servicesReadingDatabase);
        Assert.Equal(ProjectsReferencing("database"), servicesReadingDatabase);
        Assert.Equal(ProjectsReferencing("redis"), servicesReadingRedis);
    }

    [Fact]
    public void EnvironmentVariablesTheAppHostSetsAreBoundByTheServices()
    {
        var variables = Calls
            .Where(c => c.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "WithEnvironment" })
            .Select(FirstStringArgument)
            .OfType<string>()
            .Distinct()
            .ToArray();

        Assert.NotEmpty(variables);
        foreach (var variable in variables)
        {
            // Providers__openai__ApiKey binds Providers:openai:ApiKey; McpHost__Token binds McpHost:Token.
            var section = variable.Split("__")[0];
            var readers = Directory.GetFiles(Root, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/tests/") && !f.Contains("/AppHost/") && !f.Contains("/artifacts"))
                .Where(f => File.ReadAllText(f).Contains($"\"{section}\""));
            Assert.True(readers.Any(), $"No service binds the configuration section '{section}' that the AppHost sets through {variable}.");
        }
    }

    private static string[] NamesPassedTo(string method) => Calls
        .Where(c => c.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: var name } && name == method)
        .Select(FirstStringArgument)
        .OfType<string>()
        .ToArray();

    private static string[] ServicesCalling(string registration) =>
        new[] { "Api", "McpHost", "Worker" }
            .Where(service => Directory.GetFiles(Path.Combine(Root, service), "*.cs", SearchOption.AllDirectories)
                .Any(f => File.ReadAllText(f).Replace(" ", "").Contains(registration.Replace(" ", ""))))
            .ToArray();

    /// <summary>The services whose AddProject chain contains WithReference(variable).</summary>
    private static string[] ProjectsReferencing(string variable) => Calls
        .Where(c => c.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "WithReference" }
            && c.ArgumentList.Arguments.Single().ToString() == variable)
        .Select(c => c.Ancestors().OfType<InvocationExpressionSyntax>().Append(c)
            .SelectMany(a => a.DescendantNodesAndSelf().OfType<GenericNameSyntax>())
            .First(g => g.Identifier.Text == "AddProject").TypeArgumentList.Arguments.Single().ToString())
        .Select(type => type["Projects.Platform_".Length..])
        .Distinct()
        .Order(StringComparer.Ordinal)
        .ToArray();

    private static string? FirstStringArgument(InvocationExpressionSyntax call) =>
        call.ArgumentList.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal
            ? literal.Token.ValueText
            : null;

    private static IReadOnlyList<InvocationExpressionSyntax> ParseAppHostCalls()
    {
        var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(Root, "AppHost", "AppHost.cs")));
        return tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().ToArray();
    }
}
