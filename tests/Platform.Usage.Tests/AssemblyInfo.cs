namespace Platform.Usage.Tests;
