namespace Platform.Redis;

/// <summary>Turns stream replies into records; field values point into the reply's bytes, never copied.</summary>
internal static class StreamReplies
{
    public static IReadOnlyList<StreamEntry> ReadGroup(RedisReply reply)
    {
        // [[stream, [entry, ...]]] or nil when BLOCK timed out.
        if (reply.IsNull || reply.ElementArray is not [{ } stream, ..])
        {
            return [];
        }
        return stream.ElementArray is [_, var entries] ? Entries(entries) : [];
    }

    public static IReadOnlyList<StreamEntry> Entries(RedisReply reply)
    {
        var elements = reply.ElementArray;
        var entries = new List<StreamEntry>(elements.Length);
        foreach (var element in elements)
        {
            // A deleted entry still pending shows as [id, nil]; XAUTOCLAIM on 7.0 may give a bare nil.
            if (element.ElementArray is [var id, var fields])
            {
                entries.Add(new StreamEntry(id.AsString()!, Fields(fields)));
            }
        }
        return entries;
    }

    public static StreamAutoClaimResult AutoClaim(RedisReply reply)
    {
        var parts = reply.ElementArray;
        if (parts.Length < 2)
        {
            throw reply.Unexpected("[next, entries, deleted]");
        }
        IReadOnlyList<string> deleted = parts.Length > 2 ? [.. parts[2].ElementArray.Select(e => e.AsString()!)] : [];
        return new StreamAutoClaimResult(parts[0].AsString()!, Entries(parts[1]), deleted);
    }

    public static StreamPendingSummary PendingSummary(RedisReply reply)
    {
        if (reply.ElementArray is not [var count, var lowest, var highest, var consumers])
        {
            throw reply.Unexpected("[count, lowest, highest, consumers]");
        }
        IReadOnlyList<StreamConsumerPending> byConsumer =
            [.. consumers.ElementArray.Select(c => new StreamConsumerPending(c.ElementArray[0].AsString()!, c.ElementArray[1].AsInt64()))];
        return new StreamPendingSummary(count.AsInt64(), lowest.AsString(), highest.AsString(), byConsumer);
    }

    public static IReadOnlyList<StreamPendingEntry> PendingRange(RedisReply reply) =>
        [.. reply.ElementArray.Select(e => e.ElementArray is [var id, var consumer, var idle, var deliveries]
            ? new StreamPendingEntry(id.AsString()!, consumer.AsString()!, TimeSpan.FromMilliseconds(idle.AsInt64()), deliveries.AsInt64())
            : throw reply.Unexpected("[id, consumer, idle, deliveries]"))];

    private static IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> Fields(RedisReply reply)
    {
        var values = reply.ElementArray;
        var fields = new KeyValuePair<string, ReadOnlyMemory<byte>>[values.Length / 2];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = new(values[2 * i].AsString()!, values[2 * i + 1].AsBytes());
        }
        return fields;
    }
}
