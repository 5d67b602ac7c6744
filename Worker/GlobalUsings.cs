global using Platform.Worker.Hosting;
