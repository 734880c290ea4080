using System.IO.Hashing;
using Bundler.Loader.IO;

namespace Bundler.Core.Archives;

/// <summary>
/// Computes the CRC-32 of a zip entry's bytes as they are read and, at the end of the entry, throws
/// <see cref="InvalidDataException"/> when it is not the one the zip records: a corrupted archive is refused rather
/// than bundled.
/// </summary>
internal sealed class Crc32CheckedStream(Stream inner, uint expected) : ReadOnlyForwardStream
{
    private readonly Crc32 _crc = new();
    private bool _checked;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        if (read > 0)
        {
            _crc.Append(buffer[..read]);
        }
        else if (!buffer.IsEmpty && !_checked)
        {
            _checked = true;
            var actual = _crc.GetCurrentHashAsUInt32();
            if (actual != expected)
            {
                throw new InvalidDataException($"its CRC-32 is {actual:x8}, the zip records {expected:x8}");
            }
        }

        return read;
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
