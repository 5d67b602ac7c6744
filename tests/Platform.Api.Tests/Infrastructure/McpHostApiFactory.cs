using Microsoft.Extensions.Hosting;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Api.Tests.Tools.Infrastructure;

namespace Platform.Api.Tests.Infrastructure;

/// <summary>
/// <see cref="ApiFactory"/> with a real McpHost behind the tool catalog: every endpoint, tool
/// invocation and search included, has real tools behind it. Ready once the catalog has tools.
/// </summary>
public class McpHostApiFactory : ApiFactory
{
    public McpHostInstance McpHost { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> AdditionalSettings =>
    [
        new($"services:{ResourceNames.McpHost}:http:0", McpHost.BaseAddress.ToString().TrimEnd('/')),
        new("McpHost:Token", McpHostInstance.Token),
        .. McpSettings,
    ];

    /// <summary>Settings a derived fixture adds on top of the McpHost connection.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> McpSettings => [];

    public override async Task InitializeAsync()
    {
        McpHost = McpHostInstance.Start();
        await base.InitializeAsync();
        using var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await client.GetFromJsonAsync<JsonElement>("/v1/tools", timeout.Token)).GetProperty("data").GetArrayLength() == 0)
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (McpHost is not null)
        {
            await McpHost.DisposeAsync();
        }
    }
}
