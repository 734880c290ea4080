using Bundler.Loader.Format;
using Bundler.Loader.IO;
using Bundler.Loader.Zstd;

namespace Bundler.Loader.Unpacking;

/// <summary>
/// The decompressed content of one payload frame, in a pooled buffer that the consumer returns. The frames of one run
/// can share a buffer (<see cref="DecodeRun"/>): the buffer goes back to the pool when the last of them is disposed.
/// </summary>
internal sealed class DecodedFrame : IDisposable
{
    private readonly SharedBuffer _shared;
    private readonly int _start;
    private readonly int _length;
    private int _disposed;

    private DecodedFrame(SharedBuffer shared, int start, int length, long tarOffset)
    {
        _shared = shared;
        _start = start;
        _length = length;
        TarOffset = tarOffset;
    }

    public ReadOnlyMemory<byte> Content => Volatile.Read(ref _disposed) != 0 ? ReadOnlyMemory<byte>.Empty : _shared.Buffer.AsMemory(_start, _length);

    /// <summary>Where the content lies in the whole tar stream; a subset of packages skips from one package's frames to the next.</summary>
    public long TarOffset { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _shared.Release();
        }
    }

    /// <summary>Decodes one frame's compressed bytes into a pooled buffer of exactly its manifest content size.</summary>
    public static DecodedFrame Decode(int index, FrameEntry frame, ReadOnlySpan<byte> compressed) =>
        DecodeRun(index, [frame], compressed)[0];

    /// <summary>
    /// Decodes consecutive frames, starting with frame <paramref name="first"/>, from their compressed bytes (which start
    /// at the first frame) into one pooled buffer: one large buffer per run rather than one per frame, so a run of many
    /// small frames does not leave a trail of short-lived buffers behind.
    /// </summary>
    public static DecodedFrame[] DecodeRun(int first, IReadOnlyList<FrameEntry> frames, ReadOnlySpan<byte> compressed, CancellationToken cancellationToken = default)
    {
        long content = 0;
        foreach (var frame in frames)
        {
            content += frame.TarSize;
        }

        var shared = new SharedBuffer(FrameBuffers.Pool.Rent((int)content), frames.Count);
        var decoded = new DecodedFrame[frames.Count];
        var made = 0;
        try
        {
            var start = 0;
            for (; made < frames.Count; made++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var frame = frames[made];
                var length = (int)frame.TarSize;
                var offset = (int)(frame.Offset - frames[0].Offset);
                ZstdFrameCodec.DecompressExact(compressed.Slice(offset, (int)frame.Size), shared.Buffer.AsSpan(start, length), $"frame {first + made} (payload offset {frame.Offset})");
                decoded[made] = new DecodedFrame(shared, start, length, frame.TarOffset);
                start += length;
            }

            return decoded;
        }
        catch
        {
            DisposeAll(decoded.Take(made));
            for (var unmade = made; unmade < frames.Count; unmade++)
            {
                shared.Release();
            }

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

    private sealed class SharedBuffer(byte[] buffer, int holders)
    {
        private int _holders = holders;

        public byte[] Buffer { get; } = buffer;

        public void Release()
        {
            if (Interlocked.Decrement(ref _holders) == 0)
            {
                FrameBuffers.Pool.Return(Buffer);
            }
        }
    }
}
