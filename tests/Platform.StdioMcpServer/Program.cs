using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using Platform.StdioMcpServer;

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
// stdout carries the protocol: nothing else may write there.
builder.Logging.ClearProviders();
builder.Services.AddMcpServer(options => options.ServerInfo = new Implementation { Name = "platform-stdio-test", Version = "1.0" })
    .WithStdioServerTransport()
    .WithTools<StdioTools>();
await builder.Build().RunAsync();
