using System.Buffers.Binary;

namespace Bundler.Testing.Hostile;

/// <summary>
/// Writes zstd frames block by block (raw and run-length blocks, no compression), so a test controls exactly what a
/// frame declares and what it expands to: a giant declared content size, none at all, or 128 KiB of zeros per 4 bytes.
/// </summary>
public static class RawZstd
{
    private const int MaxBlockSize = 128 * 1024;
    private const byte Window128KiB = 0x38; // window log 17

    /// <summary>
    /// A frame of <paramref name="head"/> (raw blocks) followed by <paramref name="zeros"/> zero bytes (run-length
    /// blocks), declaring <paramref name="declaredContentSize"/> content bytes, or no size when null.
    /// </summary>
    public static byte[] Frame(ReadOnlySpan<byte> head, long zeros = 0, ulong? declaredContentSize = null)
    {
        using var frame = new MemoryStream();
        frame.Write([0x28, 0xB5, 0x2F, 0xFD]);
        frame.WriteByte(declaredContentSize is null ? (byte)0x00 : (byte)0xC0); // content size field: none, or 8 bytes
        frame.WriteByte(Window128KiB);
        if (declaredContentSize is { } declared)
        {
            Span<byte> size = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(size, declared);
            frame.Write(size);
        }

        var blocks = new List<(int Type, int Size, byte[] Content)>();
        for (var at = 0; at < head.Length; at += MaxBlockSize)
        {
            var chunk = head[at..Math.Min(head.Length, at + MaxBlockSize)].ToArray();
            blocks.Add((0, chunk.Length, chunk));
        }

        for (var left = zeros; left > 0; left -= MaxBlockSize)
        {
            blocks.Add((1, (int)Math.Min(left, MaxBlockSize), [0]));
        }

        if (blocks.Count == 0)
        {
            blocks.Add((0, 0, []));
        }

        for (var i = 0; i < blocks.Count; i++)
        {
            var (type, size, content) = blocks[i];
            var header = (i == blocks.Count - 1 ? 1 : 0) | (type << 1) | (size << 3);
            frame.Write([(byte)header, (byte)(header >> 8), (byte)(header >> 16)]);
            frame.Write(content);
        }

        return frame.ToArray();
    }
}
