using Bundler.Loader;
using Bundler.Loader.IO;

namespace Bundler.Core.IO;

/// <summary>A read-only stream that fails once more than <c>limit</c> bytes have been read from <c>inner</c>.</summary>
internal class SizeLimitedStream(Stream inner, long limit, Func<BundleException> tooLong) : ReadOnlyForwardStream
{
    private long _read;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        _read += read;
        return _read > limit ? throw tooLong() : read;
    }
}
