using System.Buffers;
using System.Threading.Channels;
using Bundler.Loader.Format;
using Bundler.Loader.Zstd;

namespace Bundler.Core.Writing;

/// <summary>
/// Cuts the tar stream into frames and compresses them on several cores while the producer goes on: each full
/// frame becomes a compression task, queued in a bounded channel in stream order; one writer awaits the tasks in
/// that order and appends their bytes to the payload. Memory stays bounded by the channel's capacity.
/// </summary>
internal sealed class FramePipeline : IAsyncDisposable
{
    private readonly Stream _payload;
    private readonly int _frameSize;
    private readonly int _level;
    private readonly Channel<Task<CompressedFrame>> _queue;
    private readonly Task<List<FrameEntry>> _writer;
    private readonly CancellationToken _cancellationToken;
    private byte[] _buffer;
    private int _filled;

    public FramePipeline(Stream payload, int frameSize, int level, int parallelism, CancellationToken cancellationToken)
    {
        _payload = payload;
        _frameSize = frameSize;
        _level = level;
        _cancellationToken = cancellationToken;
        _buffer = ArrayPool<byte>.Shared.Rent(frameSize);
        _queue = Channel.CreateBounded<Task<CompressedFrame>>(new BoundedChannelOptions(Math.Max(2, parallelism))
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

        return _buffer.AsMemory(_filled, _frameSize - _filled);
    }

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
        _buffer = ArrayPool<byte>.Shared.Rent(_frameSize);
        _filled = 0;
        FrameCount++;
        var level = _level;
        var compress = Task.Run(() => Compress(content, length, level), _cancellationToken);
        await _queue.Writer.WriteAsync(compress, _cancellationToken);
    }

    /// <summary>Flushes the last frame and waits until every frame is in the payload; returns the frame table.</summary>
    public async Task<List<FrameEntry>> CompleteAsync()
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

    private static CompressedFrame Compress(byte[] content, int length, int level)
    {
        try
        {
            var output = ArrayPool<byte>.Shared.Rent(ZstdFrameCodec.CompressBound(length));
            var written = ZstdFrameCodec.Compress(content.AsSpan(0, length), output, level);
            return new CompressedFrame(output, written, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(content);
        }
    }

    private async Task<List<FrameEntry>> WriteFramesAsync()
    {
        var frames = new List<FrameEntry>();
        long offset = 0, tarOffset = 0;
        await foreach (var compress in _queue.Reader.ReadAllAsync(_cancellationToken))
        {
            using var frame = await compress;
            await _payload.WriteAsync(frame.Bytes, _cancellationToken);
            frames.Add(new FrameEntry { Offset = offset, Size = frame.Bytes.Length, TarOffset = tarOffset, TarSize = frame.ContentLength });
            offset += frame.Bytes.Length;
            tarOffset += frame.ContentLength;
        }

        return frames;
    }
}
