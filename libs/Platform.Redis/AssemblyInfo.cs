using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Platform.Redis.Tests")]
