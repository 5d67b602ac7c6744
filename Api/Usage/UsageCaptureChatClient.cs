using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Platform.Api.Pipeline;
using Platform.Usage;

namespace Platform.Api.Usage;

/// <summary>
/// Records one <see cref="UsageRecord"/> per call that reaches it: it sits above the response cache,
/// so cache hits are recorded too (tokens = 0, <see cref="UsageRecord.TokensSaved"/> = the replayed
/// answer's usage), and below tool invocation, so a tool loop yields one record per model round.
/// Failed and cancelled calls are recorded with their status; a stream is recorded when it ends,
/// including when the client stops reading, with what was consumed until then: the provider's figures
/// when they came, otherwise counted with a tokenizer and marked estimated. Recording hands the
/// record to <see cref="IUsageSink"/> before the call returns (a stream: before its last update is
/// consumed), so with <c>Usage:Durability</c> = acknowledged the response's last byte is written only once
/// the record is in Redis or the journal; with queued (the default) the hand-off never waits.
/// </summary>
public sealed class UsageCaptureChatClient(
    IChatClient inner,
    IUsageSink sink,
    IChatRequestContextAccessor contexts,
    IHttpContextAccessor http,
    UsageTokenCounter tokens) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Begin(messages, options, streaming: false);
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            call.Observe(response);
            await RecordAsync(call, UsageRecordStatus.Ok).ConfigureAwait(false);
            return response;
        }
        catch (Exception e)
        {
            await RecordAsync(call, StatusOf(e, cancellationToken)).ConfigureAwait(false);
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = Begin(messages, options, streaming: true);
        string? status = null;
        try
        {
            await using var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception e)
                {
                    status = StatusOf(e, cancellationToken);
                    throw;
                }
                call.ObserveChunk(updates.Current);
                yield return updates.Current;
            }
            status = UsageRecordStatus.Ok;
        }
        finally
        {
            // No status: the consumer stopped enumerating (client disconnected) before the end.
            await RecordAsync(call, status ?? (cancellationToken.IsCancellationRequested ? UsageRecordStatus.Cancelled : UsageRecordStatus.ClientDisconnected)).ConfigureAwait(false);
        }
    }

    private UsageCall Begin(IEnumerable<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        var context = contexts.Current;
        if (context is not null)
        {
            // The cache and routing stages set them again for this call; a tool loop makes several.
            context.CacheStatus = null;
            context.ServedBy = null;
        }
        return new UsageCall(context, options?.ModelId ?? context?.ModelId ?? "unknown", streaming, messages, tokens);
    }

    private ValueTask RecordAsync(UsageCall call, string status)
    {
        // Tenant and key as the API-key authentication states them, so GET /v1/usage scopes by the same tenant.
        var user = http.HttpContext?.User;
        return sink.RecordAsync(call.ToRecord(status, user?.FindFirst(Auth.ApiClaims.TenantId)?.Value, user?.FindFirst(Auth.ApiClaims.ApiKeyId)?.Value));
    }

    private static string StatusOf(Exception e, CancellationToken cancellationToken) =>
        e is OperationCanceledException && cancellationToken.IsCancellationRequested ? UsageRecordStatus.Cancelled : UsageRecordStatus.Error(e);
}
