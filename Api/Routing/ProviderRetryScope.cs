namespace Platform.Api.Routing;

/// <summary>
/// Tells the provider's HttpClient that the call it carries has somewhere else to go. Its retry policy
/// would resend a refused call (429, 503) to the same deployment after a back-off; while another deployment
/// can take it, the refusal goes back to the router at once and the call moves on. Flows with the call's
/// async context, as HttpClient handlers run on it.
/// </summary>
public static class ProviderRetryScope
{
    private static readonly AsyncLocal<bool> HasFallback = new();

    /// <summary>True while the current call may fall back to another deployment.</summary>
    public static bool FallbackAvailable => HasFallback.Value;

    internal static void Set(bool fallbackAvailable)
    {
        if (HasFallback.Value != fallbackAvailable)
        {
            HasFallback.Value = fallbackAvailable;
        }
    }
}
