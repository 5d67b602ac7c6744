var builder = DistributedApplication.CreateBuilder(args);

// Deploy target: `aspire deploy` / `azd up` publish every project as an Azure Container App.
builder.AddAzureContainerAppEnvironment("aca");

var redis = builder.AddRedis("redis");
var postgres = builder.AddPostgres("postgres");
if (builder.ExecutionContext.IsRunMode)
{
    // Keep local data across runs; in Azure the platform's managed storage is used instead.
    redis.WithDataVolume();
    postgres.WithDataVolume();
}
var database = postgres.AddDatabase("platformdb");

// Shared by McpHost (which requires it) and the Api (which presents it). Generated once and kept.
var mcpToken = builder.AddParameter("mcp-token", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

var mcpHost = builder.AddProject<Projects.Platform_McpHost>("mcphost")
    .WithEnvironment("McpHost__Token", mcpToken)
    .WithHttpHealthCheck("/health");

var worker = builder.AddProject<Projects.Platform_Worker>("worker")
    .WithReference(redis).WaitFor(redis)
    .WithReference(database).WaitFor(database)
    .WithHttpHealthCheck("/health");

var api = builder.AddProject<Projects.Platform_Api>("api")
    .WithExternalHttpEndpoints()
    .WithReference(redis).WaitFor(redis)
    .WithReference(database).WaitFor(database)
    .WithReference(mcpHost).WaitFor(mcpHost)
    .WithEnvironment("McpHost__Token", mcpToken)
    .WaitFor(worker)
    .WithHttpHealthCheck("/health");

// The model provider's key is optional: without it the Api serves its built-in offline model.
if (!string.IsNullOrEmpty(builder.Configuration["Parameters:openai-api-key"]))
{
    var providerKey = builder.AddParameter("openai-api-key", secret: true);
    api.WithEnvironment("Providers__openai__ApiKey", providerKey);
}

builder.Build().Run();
