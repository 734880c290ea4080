namespace Bundler.Serving.Network;

/// <summary>
/// The response body as the simulated network carries it: written in chunks, each released only when both the
/// connection's cap and the link's total bandwidth allow.
/// </summary>
internal sealed class ThrottledResponseStream(Stream inner, BandwidthPacer? connection, BandwidthPacer? link) : WriteOnlyStream(inner)
{
    private readonly int _chunkSize = Math.Min(connection?.ChunkSize ?? int.MaxValue, link?.ChunkSize ?? int.MaxValue);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (connection is null && link is null)
        {
            await Inner.WriteAsync(buffer, cancellationToken);
            return;
        }

        while (!buffer.IsEmpty)
        {
            var chunk = buffer[..Math.Min(_chunkSize, buffer.Length)];
            var due = Math.Max(connection?.Reserve(chunk.Length) ?? 0, link?.Reserve(chunk.Length) ?? 0);
            await BandwidthPacer.WaitUntilAsync(due, cancellationToken);
            await Inner.WriteAsync(chunk, cancellationToken);
            await Inner.FlushAsync(cancellationToken);
            buffer = buffer[chunk.Length..];
        }
    }
}
