namespace Platform.Api.Pipeline;

/// <summary>AsyncLocal-backed, like IHttpContextAccessor: flows into the tasks a middleware starts.</summary>
public sealed class ChatRequestContextAccessor : IChatRequestContextAccessor
{
    private static readonly AsyncLocal<ChatRequestContext?> CurrentContext = new();

    public ChatRequestContext? Current
    {
        get => CurrentContext.Value;
        set => CurrentContext.Value = value;
    }
}
