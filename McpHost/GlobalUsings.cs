// Program.cs stays the template's; this brings McpHost's AddApplicationServices/MapMcpHostApi into its scope.
global using Platform.McpHost.Hosting;
