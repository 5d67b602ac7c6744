using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;
using Platform.Api.Chat;
using Platform.Api.Pipeline;
using Platform.Api.Providers;

namespace Platform.Api.Routing;

/// <summary>
/// The provider stage of a model's pipeline: sends each call to one of the model's deployments, chosen at
/// random by weight among the healthy ones of the best priority, and passes a call that failed before its
/// first token (no connection, 429, 5xx, timeout) on to the next one, then to the fallback models' deployments
/// when the model has any. Once a stream's first update has gone up the pipeline the call belongs to that
/// deployment: a later failure is never sent elsewhere (the caller has part of an answer), it reaches the
/// caller as an error that says so. The deployment that answered is set on the request context (the
/// <c>x-platform-deployment</c> header, the usage record) and on the current GenAI span.
/// </summary>
public sealed class DeploymentRoutingChatClient(
    RoutedModel model,
    TimeProvider time,
    RoutingMetrics? metrics = null,
    IChatRequestContextAccessor? contexts = null,
    ILogger? logger = null) : IChatClient
{
    public const string DeploymentTag = "platform.deployment";

    private readonly ulong _allCandidates = model.Candidates.Length == 64 ? ulong.MaxValue : (1UL << model.Candidates.Length) - 1;

    public RoutedModel Model => model;

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var attempts = new Attempts();
        while (true)
        {
            var deployment = Next(attempts, out var probe, out var more);
            var started = time.GetTimestamp();
            try
            {
                ProviderRetryScope.Set(more);
                var response = await deployment.Client.GetResponseAsync(messages, deployment.OptionsFor(options), cancellationToken).ConfigureAwait(false);
                Served(deployment, started);
                return response;
            }
            catch (Exception e) when (Failed(deployment, probe, e, cancellationToken))
            {
                attempts.Failure = e;
                attempts.Failed = deployment;
            }
            finally
            {
                deployment.Exit();
            }
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var attempts = new Attempts();
        Deployment serving;
        IAsyncEnumerator<ChatResponseUpdate> updates;
        bool any;
        while (true)
        {
            var deployment = Next(attempts, out var probe, out var more);
            var started = time.GetTimestamp();
            IAsyncEnumerator<ChatResponseUpdate>? attempt = null;
            try
            {
                ProviderRetryScope.Set(more);
                attempt = deployment.Client.GetStreamingResponseAsync(messages, deployment.OptionsFor(options), cancellationToken).GetAsyncEnumerator(cancellationToken);
                any = await attempt.MoveNextAsync().ConfigureAwait(false);
                ProviderRetryScope.Set(false);
                Served(deployment, started);
                serving = deployment;
                updates = attempt;
                break;
            }
            catch (Exception e)
            {
                ProviderRetryScope.Set(false);
                deployment.Exit();
                if (attempt is not null)
                {
                    await attempt.DisposeAsync().ConfigureAwait(false);
                }
                if (!Failed(deployment, probe, e, cancellationToken))
                {
                    throw;
                }
                attempts.Failure = e;
                attempts.Failed = deployment;
            }
        }

        // From here on the caller has (part of) an answer: nothing is sent to another deployment.
        try
        {
            if (!any)
            {
                yield break;
            }
            yield return updates.Current;
            while (true)
            {
                bool next;
                try
                {
                    next = await updates.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw BrokeOff(serving, e);
                }
                if (!next)
                {
                    break;
                }
                yield return updates.Current;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
            serving.Exit();
        }
    }

    /// <summary>
    /// The next deployment to call, counted in flight, or null. Weighted random among the untried deployments
    /// of the first tier that has one able to serve (closed breaker or a probe's turn, below its limit). When
    /// none can and nothing was tried yet, the one whose cool-down ends first: a cool-down decides which
    /// deployment goes first, it never refuses a request untried.
    /// </summary>
    /// <summary>The deployment for the next attempt, after counting the fallback from the last one that failed.</summary>
    private Deployment Next(Attempts attempts, out bool probe, out bool more)
    {
        var deployment = Choose(ref attempts.Tried, attempted: attempts.Count > 0, out probe)
            ?? throw Exhausted(attempts.Failure, attempts.Failed, attempts.Count);
        if (attempts.Failed is not null)
        {
            FellBack(attempts.Failed, deployment, attempts.Failure!);
        }
        attempts.Count++;
        // Whether another deployment could still take the call if this one fails.
        more = (attempts.Tried & _allCandidates) != _allCandidates;
        metrics?.Sent(deployment);
        return deployment;
    }

    /// <summary>What one call has tried so far.</summary>
    private sealed class Attempts
    {
        public ulong Tried;
        public int Count;
        public Exception? Failure;
        public Deployment? Failed;
    }

    internal Deployment? Choose(ref ulong tried, bool attempted, out bool probe)
    {
        probe = false;
        if (model.IsSingle)
        {
            var only = model.Primary;
            if (attempted || !only.TryEnter())
            {
                return null;
            }
            tried = 1;
            // Claims the probe when half-open; an open breaker does not stop the only deployment there is.
            only.Health.TryBegin(out probe);
            return only;
        }

        var offset = 0;
        foreach (var tier in model.Tiers)
        {
            while (true)
            {
                var total = 0;
                for (var i = 0; i < tier.Length; i++)
                {
                    if (Eligible(tier[i], tried, offset + i))
                    {
                        total += tier[i].Weight;
                    }
                }
                if (total == 0)
                {
                    break;
                }
                var pick = Random.Shared.Next(total);
                var chosen = 0;
                for (var i = 0; i < tier.Length; i++)
                {
                    if (Eligible(tier[i], tried, offset + i) && (pick -= tier[i].Weight) < 0)
                    {
                        chosen = i;
                        break;
                    }
                }
                tried |= 1UL << (offset + chosen);
                var deployment = tier[chosen];
                if (deployment.Health.TryBegin(out probe))
                {
                    if (deployment.TryEnter())
                    {
                        return deployment;
                    }
                    if (probe)
                    {
                        deployment.Health.Abandoned();
                    }
                }
                // Lost a race for its probe or its last slot: choose again without it.
            }
            offset += tier.Length;
        }

        if (attempted)
        {
            return null;
        }
        Deployment? soonest = null;
        var index = -1;
        for (var i = 0; i < model.Candidates.Length; i++)
        {
            var candidate = model.Candidates[i];
            if (candidate.HasCapacity && (soonest is null || candidate.Health.CoolingUntil < soonest.Health.CoolingUntil))
            {
                soonest = candidate;
                index = i;
            }
        }
        if (soonest is null || !soonest.TryEnter())
        {
            return null;
        }
        tried |= 1UL << index;
        return soonest;
    }

    private static bool Eligible(Deployment deployment, ulong tried, int bit) =>
        (tried & (1UL << bit)) == 0 && deployment.HasCapacity && deployment.Health.CanServe();

    private void Served(Deployment deployment, long started)
    {
        deployment.Health.Succeeded();
        metrics?.Answered(deployment, time.GetElapsedTime(started));
        if (contexts?.Current is { } context)
        {
            context.ServedBy = deployment;
        }
        Activity.Current?.SetTag(DeploymentTag, deployment.Name);
    }

    /// <summary>Records a failed call; true when the failure was the deployment's, so another may take the call.</summary>
    private bool Failed(Deployment deployment, bool probe, Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            if (probe)
            {
                deployment.Health.Abandoned();
            }
            return false;
        }
        var reason = Classify(exception, out var retryAfter);
        if (reason is null)
        {
            // The caller's mistake (a 400, say) or the gateway's: the deployment itself is fine.
            if (exception is UpstreamProviderException)
            {
                deployment.Health.Succeeded();
            }
            else if (probe)
            {
                deployment.Health.Abandoned();
            }
            return false;
        }
        deployment.Health.Failed(retryAfter);
        metrics?.Failed(deployment, reason);
        return true;
    }

    private void FellBack(Deployment from, Deployment to, Exception failure)
    {
        metrics?.FellBack(from);
        logger?.LogWarning("Deployment {Deployment} of model {Model} failed before answering ({Failure}); the call goes to {Next}.",
            from.Name, from.ModelName, failure.Message, to);
    }

    /// <summary>
    /// Why a failure is the deployment's: no connection or a broken answer, a timeout, a 429 or a 5xx.
    /// Null for everything else (the request itself was refused, or the gateway failed), which no other deployment would fix.
    /// </summary>
    internal static string? Classify(Exception exception, out TimeSpan? retryAfter)
    {
        retryAfter = null;
        switch (exception)
        {
            case UpstreamProviderException { IsTimeout: true }:
                return "timeout";
            case UpstreamProviderException { UpstreamStatus: null }:
                return "connect";
            case UpstreamProviderException { UpstreamStatus: 429 } refused:
                retryAfter = refused.RetryAfter;
                return "status_429";
            case UpstreamProviderException { UpstreamStatus: >= 500 }:
                return "status_5xx";
            case HttpRequestException:
                return "connect";
            default:
                return null;
        }
    }

    private Exception Exhausted(Exception? failure, Deployment? failed, int attempts)
    {
        switch (failure)
        {
            case null:
                return new ChatGatewayException(StatusCodes.Status429TooManyRequests,
                    $"Every deployment of model '{model.Name}' is at its limit of concurrent requests; try again shortly.",
                    null, "model_at_capacity", "rate_limit_error");
            case UpstreamProviderException upstream when attempts > 1:
                return new UpstreamProviderException(upstream.ProviderName, upstream.UpstreamStatus, upstream.IsTimeout,
                    $"No deployment of model '{model.Name}' could answer ({attempts} tried); the last, '{failed!.Name}', failed: {upstream.Message}", upstream)
                { RetryAfter = upstream.RetryAfter };
            default:
                ExceptionDispatchInfo.Capture(failure).Throw();
                return failure;
        }
    }

    private Exception BrokeOff(Deployment deployment, Exception exception)
    {
        if (Classify(exception, out _) is { } reason)
        {
            deployment.Health.Failed(null);
            metrics?.Failed(deployment, "after_first_token_" + reason);
        }
        return exception is UpstreamProviderException upstream
            ? new UpstreamProviderException(upstream.ProviderName, upstream.UpstreamStatus, upstream.IsTimeout,
                $"Deployment '{deployment.Name}' of model '{deployment.ModelName}' failed after its answer had started, so the call was not sent to another deployment: {upstream.Message}", upstream)
            {
                BrokeOffMidAnswer = true,
            }
            : exception;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : model.Primary.Client.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // The deployments' clients belong to the container; several routes share them.
    }
}
