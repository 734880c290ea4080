namespace Bundler.Core;

/// <summary>A regular file inside a source archive, with its normalized path.</summary>
/// <param name="Path">Normalized, validated path inside the package.</param>
/// <param name="Size">Size the archive declares.</param>
/// <param name="Mode">644 or 755 (as decimal 420 or 493).</param>
/// <param name="Key">How the archive finds the entry again: the zip key, or the tar data offset.</param>
internal sealed record SourceEntry(string Path, long Size, int Mode, string Key);
