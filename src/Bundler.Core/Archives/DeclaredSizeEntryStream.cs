using Bundler.Loader;
using Bundler.Loader.IO;

namespace Bundler.Core.Archives;

/// <summary>
/// Reads one archive entry and holds it to the size it declared: more bytes, or fewer before the end, is an error
/// naming the entry, as is a failure of the stream beneath (a corrupt entry).
/// </summary>
internal sealed class DeclaredSizeEntryStream(Stream inner, long declaredSize, Func<string, BundleException> error) : ReadOnlyForwardStream
{
    private long _read;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        // Ask for one byte past the declared size, so an entry that lies about its size is caught.
        var limit = (int)Math.Min(buffer.Length, declaredSize - _read + 1);
        int n;
        try
        {
            n = inner.Read(buffer[..limit]);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or InvalidOperationException or FormatException or IndexOutOfRangeException or ArgumentException)
        {
            throw error($"is corrupt ({ex.GetType().Name}: {ex.Message})");
        }

        _read += n;
        if (_read > declaredSize)
        {
            throw error($"holds more bytes than the {declaredSize} it declares");
        }

        if (n == 0 && _read < declaredSize)
        {
            throw error($"ends after {_read} of the {declaredSize} bytes it declares");
        }

        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
