using System.Globalization;
using System.Text;

namespace Platform.Redis;

/// <summary>One RESP2 reply. Bulk strings keep their bytes; nothing is decoded until asked for.</summary>
public sealed class RedisReply
{
    public static readonly RedisReply Null = new(RedisReplyKind.Null);
    internal static readonly RedisReply Ok = new(RedisReplyKind.SimpleString) { _text = "OK" };
    internal static readonly RedisReply EmptyArray = new(RedisReplyKind.Array) { _elements = [] };
    private static readonly RedisReply[] SmallIntegers = Enumerable.Range(-1, 18).Select(i => new RedisReply(RedisReplyKind.Integer) { _integer = i }).ToArray();

    private string? _text;
    private byte[]? _bytes;
    private long _integer;
    private RedisReply[]? _elements;

    private RedisReply(RedisReplyKind kind) => Kind = kind;

    public RedisReplyKind Kind { get; }

    public bool IsNull => Kind == RedisReplyKind.Null;

    public bool IsError => Kind == RedisReplyKind.Error;

    /// <summary>Elements of an array reply; empty for any other kind.</summary>
    public IReadOnlyList<RedisReply> Elements => _elements ?? [];

    internal RedisReply[] ElementArray => _elements ?? [];

    internal static RedisReply SimpleString(string text) => text == "OK" ? Ok : new(RedisReplyKind.SimpleString) { _text = text };

    internal static RedisReply Error(string text) => new(RedisReplyKind.Error) { _text = text };

    internal static RedisReply Integer(long value) =>
        value is >= -1 and <= 16 ? SmallIntegers[value + 1] : new(RedisReplyKind.Integer) { _integer = value };

    internal static RedisReply Bulk(byte[] bytes) => new(RedisReplyKind.BulkString) { _bytes = bytes };

    internal static RedisReply Array(RedisReply[] elements) => elements.Length == 0 ? EmptyArray : new(RedisReplyKind.Array) { _elements = elements };

    /// <summary>Text of a simple string, error or bulk string (UTF-8); the number of an integer; null for nil.</summary>
    public string? AsString() => Kind switch
    {
        RedisReplyKind.SimpleString or RedisReplyKind.Error => _text,
        RedisReplyKind.BulkString => Encoding.UTF8.GetString(_bytes!),
        RedisReplyKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        RedisReplyKind.Null => null,
        _ => throw Unexpected("a string"),
    };

    public long AsInt64() => Kind switch
    {
        RedisReplyKind.Integer => _integer,
        RedisReplyKind.BulkString or RedisReplyKind.SimpleString when long.TryParse(AsString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw Unexpected("an integer"),
    };

    /// <summary>Bytes of a bulk string (the reply's own array, not a copy); null for nil.</summary>
    public byte[]? AsBytes() => Kind switch
    {
        RedisReplyKind.BulkString => _bytes,
        RedisReplyKind.SimpleString or RedisReplyKind.Error => Encoding.UTF8.GetBytes(_text!),
        RedisReplyKind.Integer => Encoding.UTF8.GetBytes(AsString()!),
        RedisReplyKind.Null => null,
        _ => throw Unexpected("bytes"),
    };

    internal RedisException Unexpected(string expected) => new($"Expected {expected} but the server replied with {Kind}{(Kind == RedisReplyKind.Error ? ": " + _text : "")}.");

    public override string ToString() => Kind switch
    {
        RedisReplyKind.Array => $"Array[{_elements!.Length}]",
        RedisReplyKind.Null => "(nil)",
        _ => $"{Kind}: {AsString()}",
    };
}
