namespace Platform.Redis;

public enum RedisReplyKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
    Null,
}
