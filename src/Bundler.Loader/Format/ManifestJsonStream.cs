using Bundler.Loader.IO;
using SharpCompress.Compressors.ZStandard;

namespace Bundler.Loader.Format;

/// <summary>
/// The manifest JSON decoded from the zstd frame of the manifest frame as it is read, exactly as long as the frame's
/// header declares: the JSON of a large set (tens of megabytes) is hashed and parsed from it without ever being held
/// whole. A frame that decodes to more or fewer bytes, or does not decode, fails the read.
/// </summary>
internal sealed class ManifestJsonStream(byte[] compressed, long jsonLength) : ReadOnlyForwardStream
{
    private readonly DecompressionStream _decoder = new(new MemoryStream(compressed, writable: false), leaveOpen: false);
    private long _read;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            // One byte more than is left is asked for, so that a frame longer than declared is seen.
            read = _decoder.Read(buffer[..(int)Math.Min(buffer.Length, jsonLength - _read + 1)]);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new BundleException($"The manifest is corrupt: zstd could not decode it ({ex.Message}).", ex);
        }

        _read += read;
        if (_read > jsonLength || (read == 0 && _read < jsonLength && !buffer.IsEmpty))
        {
            throw new BundleException($"The manifest is corrupt: it decoded to {(_read > jsonLength ? "more than" : "only")} {_read} bytes where {jsonLength} were expected.");
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decoder.Dispose();
        }

        base.Dispose(disposing);
    }
}
