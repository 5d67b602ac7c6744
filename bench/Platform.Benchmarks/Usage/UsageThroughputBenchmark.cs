using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Data;
using Platform.Testing;
using Platform.Usage;
using Platform.Usage.Producer;
using Platform.Worker.Migrations;
using Platform.Worker.Usage;
using StackExchange.Redis;

namespace Platform.Benchmarks.Usage;

/// <summary>
/// Usage records from the Api's producer (in-process, fed as fast as one thread can) through a private
/// redis-server stream to PostgreSQL rows written by the Worker's consumer, counted at the end; plus
/// the cost of the enqueue the chat middleware pays, and the Worker's batch writer on its own.
/// </summary>
public sealed class UsageThroughputBenchmark : ILoadBenchmark
{
    private const string Stream = "bench:usage";

    public string Name => "usage-throughput";

    public string Description => "Usage records/s from producer through Redis to PostgreSQL (args: [records=300000] [warm-up records=30000])";

    public async Task<int> RunAsync(string[] args)
    {
        var count = args is [var n, ..] ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 300_000;
        var warmUpCount = args is [_, var w, ..] ? int.Parse(w, System.Globalization.CultureInfo.InvariantCulture) : 30_000;
        await using var redisServer = await RedisServer.LaunchAsync();
        await using var postgres = await PostgresServer.LaunchAsync();

        var writerOnly = await MeasureWriterAsync(await MigratedDatabaseAsync(postgres), Math.Min(count, 200_000));
        var database = await MigratedDatabaseAsync(postgres);
        using var worker = await StartWorkerAsync(redisServer.ConnectionString, database);
        // The first records after a start run through code the JIT has not optimised yet; the measured pass
        // follows a warm-up pass through the same producer path, stream, Worker and table, reported on its own.
        var servers = new ServerPorts(redisServer.Port, postgres.Port);
        var warmUp = warmUpCount > 0 ? await MeasurePipelineAsync(redisServer.ConnectionString, servers, database, warmUpCount, rowsBefore: 0) : null;
        if (warmUp is not null)
        {
            await Task.Delay(TimeSpan.FromSeconds(2)); // lets the JIT finish the optimised code the warm-up asked for
        }
        var pipeline = await MeasurePipelineAsync(redisServer.ConnectionString, servers, database, count, rowsBefore: warmUp?.Stored ?? 0);

        Console.WriteLine($"| what | records | result |");
        Console.WriteLine($"| --- | ---: | --- |");
        Console.WriteLine($"| producer → Redis stream → Worker → PostgreSQL rows (end to end) | {count:N0} | **{pipeline.RecordsPerSecond:N0} records/s**, {pipeline.Stored:N0} rows stored, {pipeline.Lost} lost, {pipeline.Journaled} journaled |");
        if (warmUp is not null)
        {
            Console.WriteLine($"| the same, first records after start-up (warm-up pass before the one above; includes JIT) | {warmUpCount:N0} | {warmUp.RecordsPerSecond:N0} records/s, {warmUp.Lost} lost |");
        }
        var cpu = pipeline.Cpu;
        Console.WriteLine($"| CPU per record in the pass above (this process: producer + Worker; redis-server; PostgreSQL) | {count:N0} | {Micro(cpu.Process, count)} + {Micro(cpu.Redis, count)} + {Micro(cpu.Postgres, count)} = **{Micro(cpu.Process + cpu.Redis + cpu.Postgres, count)} µs** |");
        Console.WriteLine($"| GC in this process during that pass | {count:N0} | {pipeline.Gc.AllocatedPerRecord:N0} B allocated/record; {pipeline.Gc.Gen0} gen0, {pipeline.Gc.Gen1} gen1, {pipeline.Gc.Gen2} gen2 collections; {pipeline.Gc.Pause.TotalMilliseconds:N0} ms paused |");
        Console.WriteLine($"| producer → Redis stream (queue drained by pipelined XADD batches of 2,000, up to 4 in flight) | {count:N0} | {pipeline.ProducerRecordsPerSecond:N0} records/s |");
        Console.WriteLine($"| enqueue (IUsageSink.Record, the cost the request pays) | {count:N0} | {pipeline.EnqueueNanoseconds:N0} ns/record, {pipeline.EnqueueBytes:N0} B allocated/record |");
        Console.WriteLine($"| Worker batch writer alone (binary COPY → staging, INSERT … ON CONFLICT DO NOTHING, 5,000/transaction) | {writerOnly.Records:N0} | {writerOnly.RecordsPerSecond:N0} records/s |");
        await worker.StopAsync();
        return pipeline.Lost == 0 && warmUp?.Lost is null or 0 ? 0 : 1;
    }

    private static string Micro(TimeSpan cpu, int records) => (cpu.TotalMicroseconds / records).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<PipelineResult> MeasurePipelineAsync(string redisConnectionString, ServerPorts servers, string database, int count, long rowsBefore)
    {
        using var committed = new CommittedRowsListener();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisConnectionString);
        var journal = Path.Combine(Path.GetTempPath(), "usage-bench-journal-" + Guid.NewGuid().ToString("N"));
        var metrics = new ServiceCollection().AddMetrics().AddSingleton<UsageMetrics>().BuildServiceProvider().GetRequiredService<UsageMetrics>();
        var options = new UsageProducerOptions { StreamName = Stream, QueueCapacity = count, BatchSize = 2_000, JournalDirectory = journal };
        using var producer = new UsageProducer(redis, Options.Create(options), metrics, NullLogger<UsageProducer>.Instance);
        await producer.StartAsync(CancellationToken.None);
        var records = Enumerable.Range(0, count).Select(i => Record(i)).ToArray();
        // The records are made up front so that making them is not measured; promoted to gen2 now, they are
        // not copied by every collection while they wait in the queue, which the Api's records never do.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        var cpuBefore = CpuMeter.Read(servers.Redis, servers.Postgres);
        var gcBefore = GcSample.Read();
        var clock = Stopwatch.StartNew();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        foreach (var record in records)
        {
            producer.Record(record);
        }
        var enqueue = clock.Elapsed;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        var deadline = TimeSpan.FromMinutes(5);
        TimeSpan? queueDrained = null;
        // Watching the Worker's committed-rows counter instead of polling count(*) every few ms keeps the
        // measurement from competing with the pipeline for PostgreSQL's CPU; the rows are counted below.
        while (committed.Rows < count && clock.Elapsed < deadline)
        {
            if (queueDrained is null && producer.QueueDepth == 0)
            {
                queueDrained = clock.Elapsed; // everything handed to Redis (give or take the last batch in flight)
            }
            await Task.Delay(5);
        }
        var total = clock.Elapsed;
        var stored = await CountAsync(database) - rowsBefore;
        var gc = GcSample.Read() - gcBefore;
        var cpu = CpuMeter.Read(servers.Redis, servers.Postgres) - cpuBefore;
        await producer.StopAsync(CancellationToken.None);
        var journaled = Directory.Exists(journal) ? Directory.GetFiles(journal).Sum(f => File.ReadAllLines(f).Length) : 0;
        return new PipelineResult(
            count / total.TotalSeconds,
            count / (queueDrained ?? total).TotalSeconds,
            enqueue.TotalNanoseconds / count,
            (double)allocated / count,
            stored,
            count - (await DistinctIdsAsync(database) - rowsBefore),
            journaled,
            cpu,
            gc with { AllocatedPerRecord = gc.AllocatedBytes / count });
    }

    private static async Task<(int Records, double RecordsPerSecond)> MeasureWriterAsync(string database, int count)
    {
        await using var dataSource = UsageDataSource.Create(database);
        var writer = new UsageBatchWriter(dataSource);
        var batches = Enumerable.Range(0, count).Select(i => new PricedUsageRecord(Record(i), 0.001m)).Chunk(5_000).ToArray();
        await writer.WriteAsync(batches[0], CancellationToken.None); // warm-up: connection, temp table, plans
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches.Skip(1))
        {
            await writer.WriteAsync(batch, CancellationToken.None);
        }
        var written = count - batches[0].Length;
        return (written, written / clock.Elapsed.TotalSeconds);
    }

    private static async Task<IHost> StartWorkerAsync(string redis, string database)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.Redis}"] = redis,
            [$"ConnectionStrings:{ResourceNames.Database}"] = database,
            ["Usage:StreamName"] = Stream,
            ["Usage:BatchSize"] = "5000",
            ["Usage:PollInterval"] = "00:00:00.010",
        });
        // The Worker's own registrations (Worker/Extensions), without ServiceDefaults' telemetry.
        builder.AddNpgsqlDbContext<PlatformDbContext>(ResourceNames.Database, configureDbContextOptions: o => PlatformDatabase.ConfigureOptions(o));
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseMigrator>());
        builder.AddRedisClient(ResourceNames.Redis, configureOptions: static o => o.BacklogPolicy = BacklogPolicy.FailFast);
        builder.AddUsageWriter();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<string> MigratedDatabaseAsync(PostgresServer postgres)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var db = new PlatformDbContext(PlatformDatabase.CreateOptions(connectionString));
        await PlatformDatabase.MigrateAsync(db);
        return connectionString;
    }

    internal static UsageRecord Record(int i) => new()
    {
        Id = Guid.CreateVersion7(),
        RequestId = "bench-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        TenantId = "bench",
        Provider = "offline",
        Model = "offline",
        InputTokens = 120,
        OutputTokens = 40,
        LatencyMs = 3.5,
        Status = UsageRecordStatus.Ok,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private static async Task<long> CountAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM usage_records", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> DistinctIdsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(DISTINCT id) FROM usage_records", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed record PipelineResult(double RecordsPerSecond, double ProducerRecordsPerSecond, double EnqueueNanoseconds, double EnqueueBytes, long Stored, long Lost, int Journaled, CpuSample Cpu, GcSample Gc);

    private readonly record struct ServerPorts(int Redis, int Postgres);
}
