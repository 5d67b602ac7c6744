using System.Collections.Immutable;
using ModelContextProtocol.Protocol;

namespace Platform.Api.Tools.Sessions;

/// <summary>The handlers registered for one notification method; registering and removing never block a dispatch.</summary>
internal sealed class McpNotificationHandlers
{
    private ImmutableArray<Func<JsonRpcNotification, CancellationToken, ValueTask>> _handlers = [];

    public IAsyncDisposable Add(Func<JsonRpcNotification, CancellationToken, ValueTask> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, static (list, h) => list.Add(h), handler);
        return new Registration(this, handler);
    }

    public async ValueTask InvokeAsync(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        foreach (var handler in _handlers)
        {
            await handler(notification, cancellationToken);
        }
    }

    private sealed class Registration(McpNotificationHandlers owner, Func<JsonRpcNotification, CancellationToken, ValueTask> handler) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            ImmutableInterlocked.Update(ref owner._handlers, static (list, h) => list.Remove(h), handler);
            return ValueTask.CompletedTask;
        }
    }
}
