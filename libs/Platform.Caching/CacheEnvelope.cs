using System.Buffers.Binary;
using System.Text;

namespace Platform.Caching;

/// <summary>
/// What an L2 entry holds: format version, creation and expiry time (UTC ticks), tags, then the payload.
/// Creation time and tags travel with the value so any instance can check tag invalidations on read.
/// </summary>
internal sealed record CacheEnvelope(long CreatedTicks, long ExpiresTicks, string[] Tags, ReadOnlyMemory<byte> Payload)
{
    private const byte Version = 1;
    private const int FixedHeaderLength = 1 + 8 + 8 + 2;

    public byte[] ToBytes()
    {
        var length = FixedHeaderLength + Payload.Length;
        foreach (var tag in Tags)
        {
            length += 2 + Encoding.UTF8.GetByteCount(tag);
        }
        var buffer = new byte[length];
        var span = buffer.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], CreatedTicks);
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], ExpiresTicks);
        BinaryPrimitives.WriteUInt16LittleEndian(span[17..], (ushort)Tags.Length);
        var offset = FixedHeaderLength;
        foreach (var tag in Tags)
        {
            var written = Encoding.UTF8.GetBytes(tag, span[(offset + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(span[offset..], (ushort)written);
            offset += 2 + written;
        }
        Payload.Span.CopyTo(span[offset..]);
        return buffer;
    }

    public static CacheEnvelope? TryRead(byte[] data)
    {
        var span = data.AsSpan();
        if (span.Length < FixedHeaderLength || span[0] != Version)
        {
            return null;
        }
        var created = BinaryPrimitives.ReadInt64LittleEndian(span[1..]);
        var expires = BinaryPrimitives.ReadInt64LittleEndian(span[9..]);
        var tags = new string[BinaryPrimitives.ReadUInt16LittleEndian(span[17..])];
        var offset = FixedHeaderLength;
        for (var i = 0; i < tags.Length; i++)
        {
            if (offset + 2 > span.Length)
            {
                return null;
            }
            var tagLength = BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]);
            if (offset + 2 + tagLength > span.Length)
            {
                return null;
            }
            tags[i] = Encoding.UTF8.GetString(span.Slice(offset + 2, tagLength));
            offset += 2 + tagLength;
        }
        return new CacheEnvelope(created, expires, tags, data.AsMemory(offset));
    }
}
