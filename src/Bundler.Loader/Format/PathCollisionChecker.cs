namespace Bundler.Loader.Format;

/// <summary>
/// Collects the file paths of one package and reports the first that would collide on disk: the same path twice,
/// two paths that differ only in case (they collide on Windows and macOS) or in Unicode normalization (one in NFC,
/// one in NFD: they collide on macOS), or a file where another needs a folder.
/// </summary>
internal sealed class PathCollisionChecker
{
    // Keyed by the canonical decomposition, compared ignoring case: one key per name a case-insensitive, normalizing file system sees.
    private readonly Dictionary<string, string> _files = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _directories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds <paramref name="path"/> (a path <see cref="EntryPath"/> accepts); returns why it collides with a path added before, or null.</summary>
    public string? Add(string path)
    {
        var key = CanonicalDecomposition.Decompose(path);
        if (_files.TryGetValue(key, out var earlier))
        {
            return Same(path, earlier);
        }

        if (_directories.TryGetValue(key, out var folder))
        {
            return path == folder ? $"'{path}' is a file where other files need a folder" : $"'{path}' is a file where other files need a folder '{folder}' ({Differing})";
        }

        // '/' neither decomposes nor moves, so the key's folders are the decompositions of the path's.
        var pathSlash = path.IndexOf('/', StringComparison.Ordinal);
        for (var slash = key.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = key.IndexOf('/', slash + 1))
        {
            var directory = path[..pathSlash];
            if (_files.TryGetValue(key[..slash], out var file))
            {
                return file == directory ? $"'{path}' lies beneath '{directory}', which is a file" : $"'{path}' lies beneath '{directory}', which is the file '{file}' ({Differing})";
            }

            _directories.TryAdd(key[..slash], directory);
            pathSlash = path.IndexOf('/', pathSlash + 1);
        }

        _files.Add(key, path);
        return null;
    }

    private const string Differing = "differing only in case or Unicode normalization, they are one name on Windows or macOS";

    private static string Same(string path, string earlier) =>
        path == earlier ? $"'{path}' appears twice" : $"'{path}' and '{earlier}' collide: {Differing}";
}
