using System.Reflection;
using BenchmarkDotNet.Running;
using Platform.Benchmarks;

// `dotnet run -c Release --project bench/Platform.Benchmarks -- <load-benchmark> [args]` runs a console
// load benchmark (see ILoadBenchmark); anything else goes to BenchmarkDotNet's switcher.
var loads = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(ILoadBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (ILoadBenchmark)Activator.CreateInstance(t)!)
    .ToDictionary(b => b.Name, StringComparer.OrdinalIgnoreCase);

if (args is [var name, ..] && loads.TryGetValue(name, out var load))
{
    return await load.RunAsync(args[1..]);
}

if (args is ["--list-loads"])
{
    foreach (var b in loads.Values.OrderBy(b => b.Name))
    {
        Console.WriteLine($"{b.Name}: {b.Description}");
    }
    return 0;
}

BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
return 0;
