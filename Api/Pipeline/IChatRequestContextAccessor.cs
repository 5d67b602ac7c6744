namespace Platform.Api.Pipeline;

/// <summary>The <see cref="ChatRequestContext"/> of the request running on the current async flow.</summary>
public interface IChatRequestContextAccessor
{
    ChatRequestContext? Current { get; set; }
}
