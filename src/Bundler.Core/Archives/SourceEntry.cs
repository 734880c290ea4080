namespace Bundler.Core.Archives;

/// <summary>A regular file inside a source archive, with its normalized path.</summary>
/// <param name="Path">Normalized, validated path inside the package.</param>
/// <param name="Size">Size the archive declares.</param>
/// <param name="Mode">644 or 755 (as decimal 420 or 493).</param>
/// <param name="Key">How the archive finds the entry again: the zip key, or the tar data offset.</param>
/// <param name="From">The archive path, when the file is bundled under another <paramref name="Path"/>.</param>
/// <param name="Generated">The kind of a file derived from the archive rather than read from it (NuGet layout).</param>
/// <param name="Content">The bytes of a generated file.</param>
internal sealed record SourceEntry(string Path, long Size, int Mode, string Key, string? From = null, string? Generated = null, byte[]? Content = null);
