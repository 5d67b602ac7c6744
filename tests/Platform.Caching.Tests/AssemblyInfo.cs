namespace Platform.Caching.Tests;
