namespace Platform.Usage;

/// <summary>Values of <see cref="UsageRecord.Status"/>.</summary>
public static class UsageRecordStatus
{
    public const string Ok = "ok";
    public const string Cancelled = "cancelled";

    /// <summary>The client stopped reading a stream before it ended.</summary>
    public const string ClientDisconnected = "client_disconnected";

    public static string Error(Exception exception) => "error:" + exception.GetType().Name;
}
