global using Platform.Api.Hosting;
