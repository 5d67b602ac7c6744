using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Platform.Caching.Tests")]
