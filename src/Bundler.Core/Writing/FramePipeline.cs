using System.Buffers;
using System.Threading.Channels;
using Bundler.Loader.Format;
using Bundler.Loader.Zstd;

namespace Bundler.Core.Writing;

/// <summary>
/// Cuts one package's tar stream into frames and compresses them while the producer goes on: each full frame becomes
/// a compression task (which waits for one of the writer's shared compression slots), queued in a bounded channel in
/// stream order; one writer awaits the tasks in that order and appends their bytes to the spill file. Memory stays
/// bounded by the channel's capacity. Each frame's buffer is sized to what the package is expected to have left
/// (most packages are far smaller than a frame) and grows up to the frame size when more arrives.
/// </summary>
internal sealed class FramePipeline : IAsyncDisposable
{
    private readonly SpillFile _spill;
    private readonly int _frameSize;
    private readonly int _level;
    private readonly SemaphoreSlim _compressionSlots;
    private readonly Channel<Task<CompressedFrame>> _queue;
    private readonly Task<List<SpilledFrame>> _writer;
    private readonly CancellationToken _cancellationToken;
    private readonly long _expectedTarSize;
    private byte[] _buffer;
    private int _filled;

    /// <param name="queued">Frames cut and not yet in the spill file, at most.</param>
    /// <param name="compressionSlots">Shared by every package being written, so that compression takes at most that many cores.</param>
    /// <param name="expectedTarSize">About how long the package's tar stream will be; only buffer sizes depend on it, never the frames.</param>
    public FramePipeline(SpillFile spill, int frameSize, int level, int queued, SemaphoreSlim compressionSlots, long expectedTarSize, CancellationToken cancellationToken)
    {
        _expectedTarSize = expectedTarSize;
        _spill = spill;
        _frameSize = frameSize;
        _level = level;
        _compressionSlots = compressionSlots;
        _cancellationToken = cancellationToken;
        _buffer = RentBuffer();
        _queue = Channel.CreateBounded<Task<CompressedFrame>>(new BoundedChannelOptions(queued)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        _writer = Task.Run(WriteFramesAsync, cancellationToken);
    }

    /// <summary>Bytes of tar stream taken so far.</summary>
    public long TarPosition { get; private set; }

    /// <summary>Frames cut so far.</summary>
    public int FrameCount { get; private set; }

    /// <summary>Free space in the current frame, cutting a new one first when it is full.</summary>
    public async ValueTask<Memory<byte>> GetSpaceAsync()
    {
        if (_filled == _frameSize)
        {
            await EndFrameAsync();
        }
        else if (_filled == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(2 * _buffer.Length, _frameSize));
            _buffer.AsSpan(0, _filled).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsMemory(_filled, Math.Min(_buffer.Length, _frameSize) - _filled);
    }

    /// <summary>A buffer for the next frame: room for the rest of the package as expected, at least a block, at most a frame.</summary>
    private byte[] RentBuffer() =>
        ArrayPool<byte>.Shared.Rent((int)Math.Clamp(_expectedTarSize - TarPosition, BundleFormat.TarBlockSize, _frameSize));

    /// <summary>Takes <paramref name="count"/> bytes written into the space from <see cref="GetSpaceAsync"/>.</summary>
    public void Advance(int count)
    {
        _filled += count;
        TarPosition += count;
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var space = await GetSpaceAsync();
            var count = Math.Min(space.Length, data.Length);
            data[..count].CopyTo(space);
            Advance(count);
            data = data[count..];
        }
    }

    public async ValueTask WriteZerosAsync(int count)
    {
        while (count > 0)
        {
            var space = await GetSpaceAsync();
            var n = Math.Min(space.Length, count);
            space.Span[..n].Clear();
            Advance(n);
            count -= n;
        }
    }

    /// <summary>Cuts the current frame here (a package ends), so that no frame spans two packages.</summary>
    public async ValueTask EndFrameAsync()
    {
        if (_filled == 0)
        {
            return;
        }

        var content = _buffer;
        var length = _filled;
        _buffer = RentBuffer();
        _filled = 0;
        FrameCount++;
        var compress = CompressAsync(content, length);
        await _queue.Writer.WriteAsync(compress, _cancellationToken);
    }

    /// <summary>Flushes the last frame and waits until every frame is in the spill file; returns them in stream order.</summary>
    public async Task<List<SpilledFrame>> CompleteAsync()
    {
        await EndFrameAsync();
        _queue.Writer.TryComplete();
        return await _writer;
    }

    public async ValueTask DisposeAsync()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        if (_queue.Writer.TryComplete(new OperationCanceledException()))
        {
            await Task.WhenAny(_writer);
            _ = _writer.Exception;
            while (_queue.Reader.TryRead(out var pending))
            {
                await Task.WhenAny(pending);
                if (pending.IsCompletedSuccessfully)
                {
                    pending.Result.Dispose();
                }
            }
        }
    }

    private async Task<CompressedFrame> CompressAsync(byte[] content, int length)
    {
        try
        {
            await _compressionSlots.WaitAsync(_cancellationToken);
            try
            {
                return await Task.Run(() => Compress(content, length, _level), _cancellationToken);
            }
            finally
            {
                _compressionSlots.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(content);
        }
    }

    /// <summary>One frame compressed as the pipeline compresses it, for content outside any package (the tar trailer).</summary>
    public static byte[] CompressFrame(ReadOnlySpan<byte> content, int level)
    {
        using var frame = Compress(content, level);
        return frame.Bytes.ToArray();
    }

    private static CompressedFrame Compress(byte[] content, int length, int level) => Compress(content.AsSpan(0, length), level);

    private static CompressedFrame Compress(ReadOnlySpan<byte> content, int level)
    {
        var output = ArrayPool<byte>.Shared.Rent(ZstdFrameCodec.CompressBound(content.Length));
        var written = ZstdFrameCodec.Compress(content, output, level);
        return new CompressedFrame(output, written, content.Length);
    }

    private async Task<List<SpilledFrame>> WriteFramesAsync()
    {
        var frames = new List<SpilledFrame>();
        await foreach (var compress in _queue.Reader.ReadAllAsync(_cancellationToken))
        {
            using var frame = await compress;
            var offset = await _spill.AppendAsync(frame.Bytes, _cancellationToken);
            frames.Add(new SpilledFrame(offset, frame.Bytes.Length, frame.ContentLength));
        }

        return frames;
    }
}
