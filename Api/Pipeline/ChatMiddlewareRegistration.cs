using Microsoft.Extensions.AI;

namespace Platform.Api.Pipeline;

/// <summary>One middleware of the chat pipeline: wraps the client below it.</summary>
public sealed record ChatMiddlewareRegistration(
    ChatPipelineStage Stage,
    Func<IChatClient, IServiceProvider, IChatClient> Factory);
