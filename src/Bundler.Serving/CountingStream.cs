namespace Bundler.Serving;

/// <summary>A write-through stream that counts the bytes written to it.</summary>
internal sealed class CountingStream(Stream inner) : WriteOnlyStream(inner)
{
    private long _written;

    public long Written => Interlocked.Read(ref _written);

    public override void Write(byte[] buffer, int offset, int count)
    {
        Inner.Write(buffer, offset, count);
        Interlocked.Add(ref _written, count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Inner.WriteAsync(buffer, cancellationToken);
        Interlocked.Add(ref _written, buffer.Length);
    }
}
