namespace Platform.Usage;
