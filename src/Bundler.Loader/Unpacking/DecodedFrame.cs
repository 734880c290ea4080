using System.Buffers;
using Bundler.Loader.Format;
using Bundler.Loader.IO;
using Bundler.Loader.Zstd;

namespace Bundler.Loader.Unpacking;

/// <summary>The decompressed content of one payload frame, in a pooled buffer that the consumer returns.</summary>
internal sealed class DecodedFrame(byte[] buffer, int length, long tarOffset) : IDisposable
{
    private byte[]? _buffer = buffer;

    public ReadOnlyMemory<byte> Content => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, length);

    /// <summary>Where the content lies in the whole tar stream; a subset of packages skips from one package's frames to the next.</summary>
    public long TarOffset { get; } = tarOffset;

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            FrameBuffers.Pool.Return(buffer);
        }
    }

    /// <summary>Decodes one frame's compressed bytes into a pooled buffer of exactly its manifest content size.</summary>
    public static DecodedFrame Decode(int index, FrameEntry frame, ReadOnlySpan<byte> compressed)
    {
        var content = FrameBuffers.Pool.Rent((int)frame.TarSize);
        try
        {
            ZstdFrameCodec.DecompressExact(compressed, content.AsSpan(0, (int)frame.TarSize), $"frame {index} (payload offset {frame.Offset})");
            return new DecodedFrame(content, (int)frame.TarSize, frame.TarOffset);
        }
        catch
        {
            FrameBuffers.Pool.Return(content);
            throw;
        }
    }

    /// <summary>Releases every frame of a batch.</summary>
    public static void DisposeAll(IEnumerable<DecodedFrame> frames)
    {
        foreach (var frame in frames)
        {
            frame.Dispose();
        }
    }
}
