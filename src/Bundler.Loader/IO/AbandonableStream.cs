namespace Bundler.Loader.IO;

/// <summary>
/// A decompressor's output that can be abandoned part-way. SharpCompress's gzip stream checks its CRC trailer when
/// disposed, even before the end was read; that check fails and its exception replaces the one that stopped the
/// reading (a refused entry, a decompression bomb). Disposing before the end therefore swallows what the inner
/// stream throws; once the end has been read, the end-of-stream checks run and throw as usual.
/// </summary>
internal sealed class AbandonableStream(Stream inner) : ReadOnlyForwardStream
{
    private bool _ended;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _ended |= read == 0 && !buffer.IsEmpty;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                inner.Dispose();
            }
            catch (Exception) when (!_ended)
            {
                // Abandoned: whatever stopped the reading is the error to report.
            }
        }

        base.Dispose(disposing);
    }
}
