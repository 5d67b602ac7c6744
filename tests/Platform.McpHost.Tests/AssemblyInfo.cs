namespace Platform.McpHost.Tests;
