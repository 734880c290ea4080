using Bundler.Loader.Format;
using Bundler.Loader.IO;
using Bundler.Loader.Zstd;

namespace Bundler.Loader.Unpacking;

/// <summary>
/// The decompressed content of one payload frame, in a pooled buffer that the consumer returns. The frames of one run
/// can share a buffer (<see cref="DecodeRun"/>): the buffer goes back to the pool when the last of them is disposed.
/// Or the frames of a run can share its compressed bytes and each be decoded when it is first read
/// (<see cref="DecodeWhenRead"/>), so that runs waiting to be read hold their compressed size, not their content's.
/// </summary>
internal sealed class DecodedFrame : IDisposable
{
    private readonly SharedBuffer _shared;
    private readonly int _start;
    private readonly int _length;
    private readonly (int Index, FrameEntry Frame)? _compressed;
    private byte[]? _decoded;
    private int _disposed;

    private DecodedFrame(SharedBuffer shared, int start, int length, long tarOffset, (int Index, FrameEntry Frame)? compressed = null)
    {
        _shared = shared;
        _start = start;
        _length = length;
        _compressed = compressed;
        TarOffset = tarOffset;
    }

    /// <summary>The frame's content; a frame decoded when read is decoded here the first time (and fails here when corrupt).</summary>
    public ReadOnlyMemory<byte> Content
    {
        get
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            if (_compressed is not { } compressed)
            {
                return _shared.Buffer.AsMemory(_start, _length);
            }

            if (_decoded is null)
            {
                var decoded = FrameBuffers.Pool.Rent((int)compressed.Frame.TarSize);
                try
                {
                    ZstdFrameCodec.DecompressExact(_shared.Buffer.AsSpan(_start, _length), decoded.AsSpan(0, (int)compressed.Frame.TarSize), Describe(compressed.Index, compressed.Frame));
                }
                catch
                {
                    FrameBuffers.Pool.Return(decoded);
                    throw;
                }

                _decoded = decoded;
                _shared.Release();
            }

            return _decoded.AsMemory(0, (int)compressed.Frame.TarSize);
        }
    }

    /// <summary>Where the content lies in the whole tar stream; a subset of packages skips from one package's frames to the next.</summary>
    public long TarOffset { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_decoded is { } decoded)
        {
            FrameBuffers.Pool.Return(decoded);
        }
        else
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
                ZstdFrameCodec.DecompressExact(compressed.Slice(offset, (int)frame.Size), shared.Buffer.AsSpan(start, length), Describe(first + made, frame));
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

    /// <summary>
    /// The frames of a run, starting with frame <paramref name="first"/>, over their compressed bytes in
    /// <paramref name="compressed"/> (a buffer of <see cref="FrameBuffers.Pool"/>, which they take over and return
    /// when the last of them is disposed): each frame is decoded when it is first read, into a buffer of its own size.
    /// A corrupt frame fails here, before any frame is made.
    /// </summary>
    /// <remarks>
    /// Every frame is decoded once here too, into a buffer given straight back, so that a corrupt run fails when it
    /// arrives (stopping the load at once) rather than when its reader gets to it.
    /// </remarks>
    public static DecodedFrame[] DecodeWhenRead(int first, IReadOnlyList<FrameEntry> frames, byte[] compressed)
    {
        try
        {
            for (var i = 0; i < frames.Count; i++)
            {
                var frame = frames[i];
                var check = FrameBuffers.Pool.Rent((int)frame.TarSize);
                try
                {
                    ZstdFrameCodec.DecompressExact(compressed.AsSpan((int)(frame.Offset - frames[0].Offset), (int)frame.Size), check.AsSpan(0, (int)frame.TarSize), Describe(first + i, frame));
                }
                finally
                {
                    FrameBuffers.Pool.Return(check);
                }
            }
        }
        catch
        {
            FrameBuffers.Pool.Return(compressed);
            throw;
        }

        var shared = new SharedBuffer(compressed, frames.Count);
        var result = new DecodedFrame[frames.Count];
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            result[i] = new DecodedFrame(shared, (int)(frame.Offset - frames[0].Offset), (int)frame.Size, frame.TarOffset, (first + i, frame));
        }

        return result;
    }

    private static string Describe(int index, FrameEntry frame) => $"frame {index} (payload offset {frame.Offset})";

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
