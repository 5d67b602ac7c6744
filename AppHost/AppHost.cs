using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = builder.AddPlatformInfrastructure();

// Secrets are parameters: generated once and kept in the AppHost's user secrets, or supplied
// (Parameters__admin-key, azd prompts for them on deploy). None is in the repository.
var mcpToken = builder.AddParameter(ResourceNames.McpTokenParameter, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
var adminKey = builder.AddParameter(ResourceNames.AdminKeyParameter, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

var mcpHost = builder.AddProject<Projects.Platform_McpHost>(ResourceNames.McpHost)
    .WithEnvironment("McpHost__Token", mcpToken)
    .WithHttpHealthCheck("/health");

var worker = builder.AddProject<Projects.Platform_Worker>(ResourceNames.Worker)
    .WithReference(infrastructure.Redis).WaitFor(infrastructure.Redis)
    .WithReference(infrastructure.Database).WaitFor(infrastructure.DatabaseReady)
    .WithHttpHealthCheck("/health");

var api = builder.AddProject<Projects.Platform_Api>(ResourceNames.Api)
    .WithExternalHttpEndpoints()
    .WithReference(infrastructure.Redis).WaitFor(infrastructure.Redis)
    .WithReference(infrastructure.Database).WaitFor(infrastructure.DatabaseReady)
    .WithReference(mcpHost).WaitFor(mcpHost)
    .WithEnvironment("McpHost__Token", mcpToken)
    .WithEnvironment("Auth__AdminKey", adminKey)
    .WaitFor(worker) // the Worker owns the schema and migrates it at start-up
    .WithHttpHealthCheck("/health");

// The services' launch profiles say Development, which suits `aspire run` and eng/run.sh (the AppHost in
// Development): keys optional, McpHost's token optional. An AppHost run in any other environment runs its
// services in that environment too, with the secure defaults (keys required), instead of inheriting the profiles'.
if (builder.ExecutionContext.IsRunMode && !builder.Environment.IsDevelopment())
{
    foreach (var project in new IResourceBuilder<ProjectResource>[] { mcpHost, worker, api })
    {
        project.WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithEnvironment("DOTNET_ENVIRONMENT", builder.Environment.EnvironmentName);
    }
}

// The model provider's key is optional: without it the Api serves its built-in offline model.
if (!string.IsNullOrEmpty(builder.Configuration[$"Parameters:{ResourceNames.ProviderKeyParameter}"]))
{
    var providerKey = builder.AddParameter(ResourceNames.ProviderKeyParameter, secret: true);
    api.WithEnvironment("Providers__openai__ApiKey", providerKey);
}

var app = builder.Build();
app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Platform.AppHost")
    .LogInformation("Platform infrastructure: {Mode}", infrastructure.Mode);
app.Run();
