namespace Platform.Redis.Tests;
