using Bundler.Loader.Format;

namespace Bundler.Loader.Unpacking;

/// <summary>
/// A hidden folder beside the target where a tree is written first. <see cref="Commit"/> (package folders) or
/// <see cref="CommitReplacingTarget"/> (the whole tree) moves it into place with
/// renames only; disposing without committing deletes it, so a failed or cancelled run leaves the target as it was.
/// </summary>
internal sealed class TreeStaging : IDisposable
{
    private readonly string _target;
    private bool _committed;

    private TreeStaging(string target, string root)
    {
        _target = target;
        Root = root;
    }

    public string Root { get; }

    public static TreeStaging Create(string targetDirectory)
    {
        var target = Path.GetFullPath(targetDirectory);
        if (File.Exists(target))
        {
            throw new BundleException($"The target '{targetDirectory}' is a file; give a folder.");
        }

        var parent = Path.GetDirectoryName(target.TrimEnd(Path.DirectorySeparatorChar))
            ?? throw new BundleException($"The target '{targetDirectory}' has no parent folder to stage in.");
        Directory.CreateDirectory(parent);
        var root = Path.Combine(parent, $".{Path.GetFileName(target.TrimEnd(Path.DirectorySeparatorChar))}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        return new TreeStaging(target, root);
    }

    /// <summary>
    /// Moves the staged package folders into the target. A new target is one rename; into an existing target each
    /// package folder is renamed in, replacing a previous copy of the same package and version.
    /// </summary>
    public void Commit(IEnumerable<string> packageFolders)
    {
        if (MovedToNewTarget())
        {
            return;
        }

        // Outside Root, so that no package folder can clash with it.
        var replaced = Root + ".replaced";
        var n = 0;
        foreach (var folder in packageFolders)
        {
            var source = EntryPath.Combine(Root, folder);
            var destination = EntryPath.Combine(_target, folder);
            if (Directory.Exists(destination))
            {
                Directory.CreateDirectory(replaced);
                Directory.Move(destination, Path.Combine(replaced, (n++).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            Directory.Move(source, destination);
        }

        _committed = true;
        DeleteRoot();
        Delete(replaced);
    }

    /// <summary>Replaces the whole target with the staged tree: a previous target is renamed aside first and deleted after.</summary>
    public void CommitReplacingTarget()
    {
        if (MovedToNewTarget())
        {
            return;
        }

        var previous = Root + ".previous";
        Directory.Move(_target, previous);
        try
        {
            Directory.Move(Root, _target);
        }
        catch
        {
            Directory.Move(previous, _target);
            throw;
        }

        _committed = true;
        Delete(previous);
    }

    public void Dispose()
    {
        if (!_committed)
        {
            DeleteRoot();
        }
    }

    private bool MovedToNewTarget()
    {
        if (Directory.Exists(_target))
        {
            return false;
        }

        Directory.Move(Root, _target);
        _committed = true;
        return true;
    }

    private void DeleteRoot() => Delete(Root);

    internal static void Delete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden staging folder is harmless and is named as such.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Creates a file of the tree, create-new, with its manifest mode and its size preallocated.</summary>
    internal static FileStream CreateFile(string root, string relativePath, FileEntry file)
    {
        var path = EntryPath.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            PreallocationSize = file.Size,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = (UnixFileMode)file.Mode;
        }

        return new FileStream(path, options);
    }
}
