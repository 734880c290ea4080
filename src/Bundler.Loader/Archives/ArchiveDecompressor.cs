using SharpCompress.Compressors;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Deflate;
using SharpCompress.Compressors.Xz;
using SharpCompress.Compressors.ZStandard;
using Bundler.Loader.IO;

namespace Bundler.Loader.Archives;

/// <summary>Undoes the outer compression of a tarball with SharpCompress's decompressors, as a forward-only stream.</summary>
internal static class ArchiveDecompressor
{
    /// <summary>The tar stream inside <paramref name="compressed"/>; disposing it disposes <paramref name="compressed"/>.</summary>
    public static Stream Open(ArchiveFormat format, Stream compressed) => format switch
    {
        ArchiveFormat.Tar => compressed,
        ArchiveFormat.TarGzip => new AbandonableStream(new GZipStream(compressed, CompressionMode.Decompress)),
        ArchiveFormat.TarXz => new AbandonableStream(new XZStream(compressed)),
        ArchiveFormat.TarBzip2 => new AbandonableStream(BZip2Stream.Create(compressed, CompressionMode.Decompress, decompressConcatenated: true, leaveOpen: false, tolerateTruncatedStream: false)),
        ArchiveFormat.TarZstd => new AbandonableStream(new DecompressionStream(compressed, 1 << 17, checkEndOfStream: true, leaveOpen: false)),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a tar format"),
    };
}
