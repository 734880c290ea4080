using System.Buffers;

namespace Bundler.Loader;

/// <summary>The decompressed content of one payload frame, in a pooled buffer that the consumer returns.</summary>
internal sealed class DecodedFrame(byte[] buffer, int length) : IDisposable
{
    private byte[]? _buffer = buffer;

    public ReadOnlyMemory<byte> Content => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, length);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
