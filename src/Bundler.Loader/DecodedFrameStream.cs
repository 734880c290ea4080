using System.Threading.Channels;

namespace Bundler.Loader;

/// <summary>
/// A forward-only stream over the decoded frames arriving from <see cref="FrameProducer"/>: the uncompressed tar
/// stream. <see cref="Position"/> counts the bytes handed out, which lets the reader check each file's tar offset.
/// </summary>
internal sealed class DecodedFrameStream(ChannelReader<Task<DecodedFrame>> frames) : Stream
{
    private DecodedFrame? _current;
    private int _currentOffset;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

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
            if (!await frames.WaitToReadAsync(cancellationToken) || !frames.TryRead(out var next))
            {
                return 0;
            }

            _current = await next;
            _currentOffset = 0;
        }

        var count = Math.Min(buffer.Length, _current.Content.Length - _currentOffset);
        _current.Content.Slice(_currentOffset, count).CopyTo(buffer);
        _currentOffset += count;
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Releases the current frame and every frame still queued, decoded or not.</summary>
    public async Task DrainAsync()
    {
        _current?.Dispose();
        _current = null;
        while (frames.TryRead(out var pending))
        {
            try
            {
                (await pending).Dispose();
            }
            catch (Exception ex) when (ex is BundleException or OperationCanceledException)
            {
                // The frame failed to decode; its buffers were already returned.
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        _current?.Dispose();
        _current = null;
        base.Dispose(disposing);
    }
}
