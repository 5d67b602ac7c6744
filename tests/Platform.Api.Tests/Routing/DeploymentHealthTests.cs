using Microsoft.Extensions.Time.Testing;
using Platform.Api.Routing;

namespace Platform.Api.Tests.Routing;

public sealed class DeploymentHealthTests
{
    private readonly FakeTimeProvider _clock = new();

    private DeploymentHealth Create() => new(_clock, failuresBeforeCoolDown: 3, coolDown: TimeSpan.FromSeconds(30), maxCoolDown: TimeSpan.FromMinutes(5));

    [Fact]
    public void FailuresInARowOpenTheBreakerAndASuccessInBetweenStartsTheCountAgain()
    {
        var health = Create();

        health.Failed(null);
        health.Failed(null);
        health.Succeeded();
        health.Failed(null);
        health.Failed(null);
        Assert.Equal(DeploymentState.Closed, health.State);

        health.Failed(null);
        Assert.Equal(DeploymentState.Open, health.State);
        Assert.False(health.CanServe());
    }

    [Fact]
    public void AfterTheCoolDownOneProbeIsLetThroughAndItsSuccessCloses()
    {
        var health = Create();
        for (var i = 0; i < 3; i++)
        {
            health.Failed(null);
        }

        _clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(DeploymentState.HalfOpen, health.State);
        Assert.True(health.TryBegin(out var probe));
        Assert.True(probe);
        Assert.False(health.TryBegin(out _), "a second request while the probe is out");
        health.Succeeded();
        Assert.Equal(DeploymentState.Closed, health.State);
        Assert.True(health.TryBegin(out probe));
        Assert.False(probe);
    }

    [Fact]
    public void AFailedProbeOpensTheBreakerAgainAtOnce()
    {
        var health = Create();
        for (var i = 0; i < 3; i++)
        {
            health.Failed(null);
        }
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(health.TryBegin(out _));

        health.Failed(null);

        Assert.Equal(DeploymentState.Open, health.State);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(30), health.CoolingUntil);
    }

    [Fact]
    public void ARetryAfterOpensTheBreakerAtOnceForThatLongCutToTheLongestCoolDown()
    {
        var health = Create();

        health.Failed(TimeSpan.FromSeconds(7));
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(7), health.CoolingUntil);
        _clock.Advance(TimeSpan.FromSeconds(7));
        Assert.True(health.CanServe());

        health.Failed(TimeSpan.FromHours(2));
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(5), health.CoolingUntil);
    }
}
