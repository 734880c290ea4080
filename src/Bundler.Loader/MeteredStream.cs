namespace Bundler.Loader;

/// <summary>
/// A read-only pass-through that reports every byte received to the load's metrics and disposes its owner with it.
/// With the <paramref name="url"/> of a response body, a connection that breaks off mid-body becomes a
/// <see cref="BundleException"/> naming it.
/// </summary>
internal sealed class MeteredStream(Stream inner, LoadMetrics metrics, IDisposable? owner = null, Uri? url = null) : Stream
{
    private long _received;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (url is not null && ex is IOException or HttpRequestException)
        {
            throw BrokenOff(ex);
        }

        return Count(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        int read;
        try
        {
            read = inner.Read(buffer, offset, count);
        }
        catch (Exception ex) when (url is not null && ex is IOException or HttpRequestException)
        {
            throw BrokenOff(ex);
        }

        return Count(read);
    }

    private int Count(int read)
    {
        _received += read;
        metrics.Received(read);
        return read;
    }

    private BundleException BrokenOff(Exception ex) =>
        new($"GET {url} broke off after {_received} bytes of the response ({ex.Message}); the connection or the server failed. Try again.", ex);

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owner?.Dispose();
        }

        base.Dispose(disposing);
    }
}
