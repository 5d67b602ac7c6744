using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Platform.Api.Tools.Search;

/// <summary>Symmetric 8-bit quantization of embedding rows and their integer dot product.</summary>
internal static class Int8Vectors
{
    /// <summary>
    /// Writes <paramref name="values"/> scaled so its largest component is ±127 (never -128, so a
    /// product of two components fits a 16-bit lane) and returns the factor back to the original scale.
    /// </summary>
    public static float Quantize(ReadOnlySpan<float> values, Span<sbyte> destination)
    {
        var largest = TensorPrimitives.MaxMagnitude(values);
        var magnitude = MathF.Abs(largest);
        if (!(magnitude > 0) || !float.IsFinite(magnitude))
        {
            destination.Clear();
            return 0f;
        }
        var scale = 127f / magnitude;
        for (var i = 0; i < values.Length; i++)
        {
            destination[i] = (sbyte)Math.Clamp(MathF.Round(values[i] * scale), -127f, 127f);
        }
        return magnitude / 127f;
    }

    /// <summary>Whether <see cref="DotWithOffsetQuery"/> runs on AVX-VNNI, which does a row in a quarter of the instructions.</summary>
    public static bool OffsetQueryIsFaster => AvxVnni.IsSupported;

    /// <summary>A query as unsigned bytes (each component + 128): the operand AVX-VNNI multiplies signed bytes by.</summary>
    public static void OffsetQuery(ReadOnlySpan<sbyte> query, Span<byte> destination)
    {
        for (var i = 0; i < query.Length; i++)
        {
            destination[i] = (byte)(query[i] + 128);
        }
    }

    /// <summary>
    /// The same integer dot product as <see cref="Dot"/>, of <paramref name="row"/> with the query whose
    /// <see cref="OffsetQuery"/> form is <paramref name="offsetQuery"/>: Σ (q + 128)·r − 128·Σ r, where
    /// <paramref name="rowSum"/> is Σ r, computed once per row when the index is built.
    /// </summary>
    public static int DotWithOffsetQuery(ReadOnlySpan<sbyte> row, ReadOnlySpan<byte> offsetQuery, int rowSum)
    {
        var length = Math.Min(row.Length, offsetQuery.Length);
        var i = 0;
        var sum = 0;
        if (AvxVnni.IsSupported && length >= Vector256<sbyte>.Count)
        {
            ref var r = ref MemoryMarshal.GetReference(row);
            ref var q = ref MemoryMarshal.GetReference(offsetQuery);
            var accumulator = Vector256<int>.Zero;
            for (; i <= length - Vector256<sbyte>.Count; i += Vector256<sbyte>.Count)
            {
                // Four unsigned × signed byte products summed into each 32-bit lane, in one instruction.
                accumulator = AvxVnni.MultiplyWideningAndAdd(accumulator, Vector256.LoadUnsafe(ref q, (nuint)i), Vector256.LoadUnsafe(ref r, (nuint)i));
            }
            sum = Vector256.Sum(accumulator);
        }
        for (; i < length; i++)
        {
            sum += offsetQuery[i] * row[i];
        }
        return sum - 128 * rowSum;
    }

    public static int Dot(ReadOnlySpan<sbyte> left, ReadOnlySpan<sbyte> right)
    {
        var length = Math.Min(left.Length, right.Length);
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && length >= Vector256<sbyte>.Count)
        {
            ref var l = ref MemoryMarshal.GetReference(left);
            ref var r = ref MemoryMarshal.GetReference(right);
            var accumulator = Vector256<int>.Zero;
            for (; i <= length - Vector256<sbyte>.Count; i += Vector256<sbyte>.Count)
            {
                var a = Vector256.LoadUnsafe(ref l, (nuint)i);
                var b = Vector256.LoadUnsafe(ref r, (nuint)i);
                // Sign-extend to 16 bits, then multiply pairs and add neighbours into 32-bit lanes.
                accumulator += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(a.GetLower()), Avx2.ConvertToVector256Int16(b.GetLower()));
                accumulator += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(a.GetUpper()), Avx2.ConvertToVector256Int16(b.GetUpper()));
            }
            sum = Vector256.Sum(accumulator);
        }
        else if (Vector128.IsHardwareAccelerated && length >= Vector128<sbyte>.Count)
        {
            ref var l = ref MemoryMarshal.GetReference(left);
            ref var r = ref MemoryMarshal.GetReference(right);
            var accumulator = Vector128<int>.Zero;
            for (; i <= length - Vector128<sbyte>.Count; i += Vector128<sbyte>.Count)
            {
                var (aLow, aHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref l, (nuint)i));
                var (bLow, bHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref r, (nuint)i));
                var (p0, p1) = Vector128.Widen(aLow * bLow);
                var (p2, p3) = Vector128.Widen(aHigh * bHigh);
                accumulator += p0 + p1 + p2 + p3;
            }
            sum = Vector128.Sum(accumulator);
        }
        for (; i < length; i++)
        {
            sum += left[i] * right[i];
        }
        return sum;
    }
}
