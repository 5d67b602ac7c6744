using System.Buffers;

namespace Platform.Redis.Protocol;

/// <summary>
/// A command whose arguments end with a long list of strings (XACK, XDEL with thousands of ids): the
/// list is written straight from the caller's collection, without an argument array per call.
/// </summary>
internal sealed class RedisTextListRequest<T>(string command, RedisArg[] leadingArgs, IReadOnlyList<string> list, Func<RedisReply, T> project)
    : RedisRequest<T>(command, [], project)
{
    private readonly RedisArg[] _leadingArgs = leadingArgs;

    public override void WriteTo(IBufferWriter<byte> writer)
    {
        RespWriter.WriteCommandStart(writer, Command, _leadingArgs.Length + list.Count);
        foreach (var arg in _leadingArgs)
        {
            RespWriter.WriteArg(writer, arg);
        }
        foreach (var item in list)
        {
            RespWriter.WriteArg(writer, item);
        }
    }
}
