using System.Text.Json;

namespace Platform.Usage;

/// <summary>
/// Reads the JSON the producer writes (camelCase names, numbers as numbers) straight off a
/// <see cref="Utf8JsonReader"/>, several times cheaper than the serializer, which builds records with
/// init-only members through boxed constructor arguments. Anything else (other casing, numbers in
/// strings, unknown or missing members, nulls where values belong, invalid JSON) returns false, and
/// the caller falls back to the serializer, so what is accepted and how errors read stays exactly its.
/// </summary>
internal static class UsageRecordReader
{
    [Flags]
    private enum Required
    {
        None = 0,
        Id = 1,
        RequestId = 2,
        TenantId = 4,
        Provider = 8,
        Model = 16,
        Status = 32,
        CreatedAt = 64,
        All = Id | RequestId | TenantId | Provider | Model | Status | CreatedAt,
    }

    public static bool TryRead(ReadOnlySpan<byte> json, out UsageRecord record)
    {
        record = null!;
        try
        {
            return TryReadCore(json, out record);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false; // a token of another type than the member's
        }
    }

    private static bool TryReadCore(ReadOnlySpan<byte> json, out UsageRecord record)
    {
        record = null!;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var seen = Required.None;
        Guid id = default;
        string? requestId = null, apiKeyId = null, tenantId = null, provider = null, model = null, status = null, deployment = null;
        int inputTokens = 0, outputTokens = 0, cachedTokens = 0, reasoningTokens = 0, tokensSaved = 0, toolCalls = 0;
        bool cacheHit = false, streaming = false, estimated = false;
        double latencyMs = 0;
        double? timeToFirstTokenMs = null;
        DateTimeOffset createdAt = default;

        var member = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            member = FindMember(ref reader, member + 1);
            var ok = member switch
            {
                0 => reader.Read() && reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out id),
                1 => TryReadString(ref reader, out requestId),
                2 => TryReadNullableString(ref reader, out apiKeyId),
                3 => TryReadRepeatedString(ref reader, out tenantId),
                4 => TryReadRepeatedString(ref reader, out provider),
                5 => TryReadRepeatedString(ref reader, out model),
                6 => TryReadInt(ref reader, out inputTokens),
                7 => TryReadInt(ref reader, out outputTokens),
                8 => TryReadInt(ref reader, out cachedTokens),
                9 => TryReadInt(ref reader, out reasoningTokens),
                10 => TryReadBool(ref reader, out cacheHit),
                11 => TryReadInt(ref reader, out tokensSaved),
                12 => TryReadDouble(ref reader, out latencyMs),
                13 => TryReadNullableDouble(ref reader, out timeToFirstTokenMs),
                14 => TryReadInt(ref reader, out toolCalls),
                15 => TryReadRepeatedString(ref reader, out status),
                16 => TryReadBool(ref reader, out streaming),
                17 => reader.Read() && reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out createdAt),
                18 => TryReadBool(ref reader, out estimated),
                19 => TryReadNullableString(ref reader, out deployment),
                _ => false, // a member this reader does not know
            };
            if (!ok)
            {
                return false;
            }
            seen |= RequiredFlag(member);
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || seen != Required.All)
        {
            return false;
        }
        record = new UsageRecord
        {
            Id = id,
            RequestId = requestId!,
            ApiKeyId = apiKeyId,
            TenantId = tenantId!,
            Provider = provider!,
            Model = model!,
            InputTokens = inputTokens,
            OutputTokens = outputTokens,
            CachedTokens = cachedTokens,
            ReasoningTokens = reasoningTokens,
            CacheHit = cacheHit,
            TokensSaved = tokensSaved,
            LatencyMs = latencyMs,
            TimeToFirstTokenMs = timeToFirstTokenMs,
            ToolCalls = toolCalls,
            Status = status!,
            Streaming = streaming,
            CreatedAt = createdAt,
            Estimated = estimated,
            Deployment = deployment,
        };
        return true;
    }

    /// <summary>Members in the order the serializer writes them, so the next one is usually found at the first try.</summary>
    private static readonly byte[][] Members =
    [
        "id"u8.ToArray(), "requestId"u8.ToArray(), "apiKeyId"u8.ToArray(), "tenantId"u8.ToArray(), "provider"u8.ToArray(),
        "model"u8.ToArray(), "inputTokens"u8.ToArray(), "outputTokens"u8.ToArray(), "cachedTokens"u8.ToArray(),
        "reasoningTokens"u8.ToArray(), "cacheHit"u8.ToArray(), "tokensSaved"u8.ToArray(), "latencyMs"u8.ToArray(),
        "timeToFirstTokenMs"u8.ToArray(), "toolCalls"u8.ToArray(), "status"u8.ToArray(), "streaming"u8.ToArray(),
        "createdAt"u8.ToArray(), "estimated"u8.ToArray(), "deployment"u8.ToArray(),
    ];

    /// <summary>Index in <see cref="Members"/> of the current property name, looking from <paramref name="likely"/> on first; -1 when unknown.</summary>
    private static int FindMember(ref Utf8JsonReader reader, int likely)
    {
        for (var i = 0; i < Members.Length; i++)
        {
            var candidate = (likely + i) % Members.Length;
            if (reader.ValueTextEquals(Members[candidate]))
            {
                return candidate;
            }
        }
        return -1;
    }

    private static Required RequiredFlag(int member) => member switch
    {
        0 => Required.Id,
        1 => Required.RequestId,
        3 => Required.TenantId,
        4 => Required.Provider,
        5 => Required.Model,
        15 => Required.Status,
        17 => Required.CreatedAt,
        _ => Required.None,
    };

    private static bool TryReadNullableString(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (!reader.Read())
        {
            return false;
        }
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        return reader.TokenType == JsonTokenType.String && TryGetRepeatedString(ref reader, out value);
    }

    /// <summary>A value most records share (tenant, provider, model, status): one string per distinct value.</summary>
    private static bool TryReadRepeatedString(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        return reader.Read() && reader.TokenType == JsonTokenType.String && TryGetRepeatedString(ref reader, out value);
    }

    private static bool TryGetRepeatedString(ref Utf8JsonReader reader, out string? value)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            value = reader.GetString();
            return value is not null;
        }
        var cached = Utf8StringCache.Current.TryGet(reader.ValueSpan, out var text);
        value = text;
        return cached;
    }

    private static bool TryReadString(ref Utf8JsonReader reader, out string? value)
    {
        value = reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return value is not null;
    }

    private static bool TryReadInt(ref Utf8JsonReader reader, out int value)
    {
        value = 0;
        return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value);
    }

    private static bool TryReadDouble(ref Utf8JsonReader reader, out double value)
    {
        value = 0;
        return reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value);
    }

    private static bool TryReadNullableDouble(ref Utf8JsonReader reader, out double? value)
    {
        value = null;
        if (!reader.Read())
        {
            return false;
        }
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number))
        {
            value = number;
            return true;
        }
        return false;
    }

    private static bool TryReadBool(ref Utf8JsonReader reader, out bool value)
    {
        value = false;
        if (!reader.Read() || reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
        {
            return false;
        }
        value = reader.TokenType == JsonTokenType.True;
        return true;
    }
}
