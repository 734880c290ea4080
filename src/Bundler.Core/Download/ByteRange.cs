namespace Bundler.Core.Download;

/// <summary>A part of a file being fetched: bytes [Start, End), of which those before <see cref="Position"/> are written.</summary>
internal sealed class ByteRange(long start, long end)
{
    public long Start { get; } = start;

    public long End { get; } = end;

    public long Position { get; set; } = start;

    public long Remaining => End - Position;
}
