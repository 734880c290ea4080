namespace Bundler.Loader.Format;

/// <summary>
/// Collects the file paths of one package and reports the first that would collide on disk: the same path twice,
/// two paths that differ only in case (they collide on Windows and macOS), or a file where another needs a folder.
/// </summary>
internal sealed class PathCollisionChecker
{
    private readonly HashSet<string> _files = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _directories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds <paramref name="path"/>; returns why it collides with a path added before, or null.</summary>
    public string? Add(string path)
    {
        if (_files.Contains(path))
        {
            return $"'{path}' appears twice (or twice with different case)";
        }

        if (_directories.Contains(path))
        {
            return $"'{path}' is a file where other files need a folder";
        }

        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            var directory = path[..slash];
            if (_files.Contains(directory))
            {
                return $"'{path}' lies beneath '{directory}', which is a file";
            }

            _directories.Add(directory);
        }

        _files.Add(path);
        return null;
    }
}
