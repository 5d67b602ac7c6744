namespace Platform.Foundation.Tests;
