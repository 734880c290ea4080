namespace Bundler.Loader.Archives.Zip;

/// <summary>What a zip entry's local header says: flags, method, sizes, and where the entry's compressed data starts.</summary>
internal readonly record struct ZipLocalHeader(ushort Flags, ushort Method, long CompressedSize, long UncompressedSize, long DataStart);
