using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Primitives;

namespace Bundler.Serving;

/// <summary>
/// The files of one folder, as <see cref="PhysicalFileProvider"/> finds them, but only those whose real path (every
/// symbolic link and junction on the way followed) stays inside the folder's real path: a link inside the folder to
/// <c>/etc/passwd</c> or to <c>/etc</c> is not found. Links that stay inside keep working.
/// </summary>
internal sealed class ContainedFileProvider : IFileProvider, IDisposable
{
    // As many links as Linux follows for one path (ELOOP past 40).
    private const int MaxLinks = 40;

    private static readonly StringComparison PathComparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly PhysicalFileProvider _files;
    private readonly string _root;
    private readonly string _realRoot;

    public ContainedFileProvider(string root)
    {
        _root = Path.GetFullPath(root);
        _files = new PhysicalFileProvider(_root);
        _realRoot = RealPath(_root) ?? _root;
    }

    public IFileInfo GetFileInfo(string subpath)
    {
        var file = _files.GetFileInfo(subpath);
        if (file.PhysicalPath is not { } physical || !file.Exists)
        {
            return file;
        }

        // The file a link names, not the link: its length and time are the link's own otherwise.
        return RealPathInside(physical) is { } real ? (real == physical ? file : new PhysicalFileInfo(new FileInfo(real))) : new NotFoundFileInfo(subpath);
    }

    public IDirectoryContents GetDirectoryContents(string subpath)
    {
        var contents = _files.GetDirectoryContents(subpath);
        return contents.Exists && RealPathInside(Path.Join(_root, subpath)) is null ? NotFoundDirectoryContents.Singleton : contents;
    }

    public IChangeToken Watch(string filter) => _files.Watch(filter);

    public void Dispose() => _files.Dispose();

    /// <summary>The real path of <paramref name="path"/> when it is inside the real root; otherwise null.</summary>
    private string? RealPathInside(string path)
    {
        if (RealPath(path) is not { } real)
        {
            return null;
        }

        var prefix = Path.EndsInDirectorySeparator(_realRoot) ? _realRoot : _realRoot + Path.DirectorySeparatorChar;
        return real.Equals(_realRoot, PathComparison) || real.StartsWith(prefix, PathComparison) ? real : null;
    }

    /// <summary>The absolute path <paramref name="path"/> names once every link on it is followed, or null past <see cref="MaxLinks"/> links (a loop).</summary>
    private static string? RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>();
        PushSegments(pending, full[current.Length..]);
        var links = 0;
        while (pending.TryPop(out var segment))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, segment);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            // A link's target is read from the folder holding the link, or from a root when it is absolute.
            if (Path.IsPathRooted(target))
            {
                var targetRoot = Path.GetPathRoot(Path.GetFullPath(target))!;
                current = targetRoot;
                target = Path.GetFullPath(target)[targetRoot.Length..];
            }

            PushSegments(pending, target);
        }

        return current;
    }

    private static void PushSegments(Stack<string> pending, string relative)
    {
        var segments = relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]);
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            pending.Push(segments[i]);
        }
    }
}
