namespace Bundler.Testing.IO;

/// <summary>A stream that cannot seek and returns reads in small, uneven chunks, like a network response.</summary>
internal sealed class ForwardOnlyStream(Stream inner, int maxChunk) : ForwardOnlyStreamBase(inner)
{
    private int _call;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Inner.ReadAsync(buffer[..Math.Min(buffer.Length, 1 + (_call++ * 7919 % maxChunk))], cancellationToken);
}
