namespace Bundler.Loader.Archives;

/// <summary>
/// Passes reads and seeks through to a tar stream and keeps the last 512 bytes read: when <see cref="System.Formats.Tar.TarReader"/>
/// fails on a header it has just read, those bytes are that header, so the refusal can name the entry.
/// </summary>
internal sealed class TarHeaderTrackingStream(Stream inner) : Stream
{
    public const int BlockSize = 512;

    private readonly byte[] _last = new byte[BlockSize];
    private int _filled;
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.CanSeek ? inner.Position : _read;
        set
        {
            inner.Position = value;
            _filled = 0;
        }
    }

    /// <summary>The last block read and the stream offset it starts at, or null when fewer than 512 bytes were read since the last seek.</summary>
    public (ReadOnlyMemory<byte> Block, long Offset)? LastBlock => _filled == BlockSize ? (_last, Position - BlockSize) : null;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Keep(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Keep(buffer.Span[..read]);
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        _filled = 0;
        return inner.Seek(offset, origin);
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Keep(ReadOnlySpan<byte> read)
    {
        _read += read.Length;
        if (read.Length >= BlockSize)
        {
            read[^BlockSize..].CopyTo(_last);
            _filled = BlockSize;
            return;
        }

        var kept = Math.Min(_filled, BlockSize - read.Length);
        _last.AsSpan(_filled - kept, kept).CopyTo(_last);
        read.CopyTo(_last.AsSpan(kept));
        _filled = kept + read.Length;
    }
}
