namespace Bundler.Serving.Network;

/// <summary>
/// The response body as the simulated network carries it: written in chunks, each released only when both the
/// connection's cap and the link's total bandwidth allow. Also counts the bytes for the request log.
/// </summary>
internal sealed class ThrottledResponseStream(Stream inner, BandwidthPacer? connection, BandwidthPacer? link) : Stream
{
    private readonly int _chunkSize = Math.Min(connection?.ChunkSize ?? int.MaxValue, link?.ChunkSize ?? int.MaxValue);
    private long _written;

    public long Written => Interlocked.Read(ref _written);

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (connection is null && link is null)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            Interlocked.Add(ref _written, buffer.Length);
            return;
        }

        while (!buffer.IsEmpty)
        {
            var chunk = buffer[..Math.Min(_chunkSize, buffer.Length)];
            var due = Math.Max(connection?.Reserve(chunk.Length) ?? 0, link?.Reserve(chunk.Length) ?? 0);
            await BandwidthPacer.WaitUntilAsync(due, cancellationToken);
            await inner.WriteAsync(chunk, cancellationToken);
            await inner.FlushAsync(cancellationToken);
            Interlocked.Add(ref _written, chunk.Length);
            buffer = buffer[chunk.Length..];
        }
    }
}
