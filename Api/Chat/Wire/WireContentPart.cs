namespace Platform.Api.Chat.Wire;

public sealed class WireContentPart
{
    public string? Type { get; set; }
    public string? Text { get; set; }
    public WireImageUrl? ImageUrl { get; set; }
}

public sealed class WireImageUrl
{
    public string? Url { get; set; }
    public string? Detail { get; set; }
}
