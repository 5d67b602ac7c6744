namespace Platform.Usage;

/// <summary>Values of <see cref="UsageRecord.Status"/>.</summary>
public static class UsageRecordStatus
{
    public const string Ok = "ok";
    public const string Cancelled = "cancelled";

    /// <summary>The client stopped reading a stream before it ended.</summary>
    public const string ClientDisconnected = "client_disconnected";

    /// <summary>Starts the status of a failed call: <c>error:{exception type}</c>.</summary>
    public const string ErrorPrefix = "error:";

    public static string Error(Exception exception) => ErrorPrefix + exception.GetType().Name;
}
