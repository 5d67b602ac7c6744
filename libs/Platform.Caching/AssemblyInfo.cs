namespace Platform.Caching;
