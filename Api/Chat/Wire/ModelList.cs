namespace Platform.Api.Chat.Wire;

public sealed class ModelList
{
    public string Object { get; set; } = "list";
    public required List<WireModel> Data { get; set; }
}

public sealed class WireModel
{
    public required string Id { get; set; }
    public string Object { get; set; } = "model";
    public long Created { get; set; }
    public required string OwnedBy { get; set; }
}
