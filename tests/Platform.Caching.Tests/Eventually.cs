namespace Platform.Caching.Tests;

public static class Eventually
{
    /// <summary>Retries until the condition holds; fails after 10 s. Never asserts on elapsed time.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string because)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("Condition never held: " + because);
    }
}
