using System.Threading.Channels;
using Bundler.Loader.IO;

namespace Bundler.Loader.Unpacking;

/// <summary>
/// A forward-only stream over the decoded frames arriving in batches (from <see cref="FrameProducer"/> or a range
/// fetch): the uncompressed tar stream. <see cref="Position"/> is the tar offset of the next byte, which lets the
/// reader check each file's tar offset; it jumps where a subset of packages skips frames. <c>taken</c>, when given, is
/// called for each batch taken from the channel (to let the producer fetch another).
/// </summary>
internal sealed class DecodedFrameStream(ChannelReader<Task<DecodedFrame[]>> batches, Action? taken = null) : AsyncReadOnlyForwardStream
{
    private DecodedFrame[] _batch = [];
    private int _batchIndex;
    private DecodedFrame? _current;
    private int _currentOffset;
    private long _position;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_current is null || _currentOffset == _current.Content.Length)
        {
            _current?.Dispose();
            _current = null;
            if (_batchIndex == _batch.Length)
            {
                if (!await batches.WaitToReadAsync(cancellationToken) || !batches.TryRead(out var next))
                {
                    return 0;
                }

                taken?.Invoke();
                _batch = await next;
                _batchIndex = 0;
                continue;
            }

            _current = _batch[_batchIndex++];
            _currentOffset = 0;
            _position = _current.TarOffset;
        }

        var count = Math.Min(buffer.Length, _current.Content.Length - _currentOffset);
        _current.Content.Slice(_currentOffset, count).CopyTo(buffer);
        _currentOffset += count;
        _position += count;
        return count;
    }

    /// <summary>Releases the current frame and every frame still queued, decoded or not.</summary>
    public async Task DrainAsync()
    {
        ReleaseBatch();
        while (batches.TryRead(out var pending))
        {
            taken?.Invoke();
            try
            {
                DecodedFrame.DisposeAll(await pending);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The batch failed to arrive or decode; its buffers were already returned, and the consumer reports the first error.
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        ReleaseBatch();
        base.Dispose(disposing);
    }

    private void ReleaseBatch()
    {
        _current?.Dispose();
        _current = null;
        DecodedFrame.DisposeAll(_batch.Skip(_batchIndex));
        _batch = [];
        _batchIndex = 0;
    }
}
