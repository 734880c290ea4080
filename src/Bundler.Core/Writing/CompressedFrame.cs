using System.Buffers;

namespace Bundler.Core.Writing;

/// <summary>A compressed payload frame in a pooled buffer, waiting for its turn to be written.</summary>
internal sealed class CompressedFrame(byte[] buffer, int length, int contentLength) : IDisposable
{
    public ReadOnlyMemory<byte> Bytes => buffer.AsMemory(0, length);

    public int ContentLength => contentLength;

    public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
}
