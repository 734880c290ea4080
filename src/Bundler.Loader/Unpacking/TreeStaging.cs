using Bundler.Loader.Format;
using Bundler.Loader.IO;

namespace Bundler.Loader.Unpacking;

/// <summary>
/// A hidden folder beside the target where a tree is written first. <see cref="Commit(IEnumerable{string}, IEnumerable{string}, CancellationToken)"/> (package folders) or
/// <see cref="CommitReplacingTarget"/> (the whole tree) moves it into place with renames only, holding the target's
/// lock (<see cref="TargetLock"/>) so that loads into one target from several processes commit one after another;
/// disposing without committing deletes it, so a failed or cancelled run leaves the target as it was. A commit that
/// fails half-way is undone; one whose process was killed is undone (or finished) by the next staging for that target,
/// which also deletes what killed runs left (<see cref="StagingLeftovers"/>).
/// </summary>
internal sealed class TreeStaging : IDisposable
{
    private readonly string _target;
    private readonly ExclusiveFileLock _owner;
    private bool _committed;

    private TreeStaging(string target, string root, ExclusiveFileLock owner)
    {
        _target = target;
        Root = root;
        _owner = owner;
    }

    public string Root { get; }

    public static TreeStaging Create(string targetDirectory, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(targetDirectory).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(target))
        {
            throw new BundleException($"The target '{targetDirectory}' is a file; give a folder.");
        }

        var parent = Path.GetDirectoryName(target)
            ?? throw new BundleException($"The target '{targetDirectory}' has no parent folder to stage in.");
        Directory.CreateDirectory(parent);

        // The owner lock is taken under the target's lock: creating its file and locking it are two steps, and a
        // recovery that ran between them would take the new staging for a dead one and delete it while it is written.
        using (TargetLock.Acquire(target, cancellationToken))
        {
            StagingLeftovers.Recover(target);
            var root = Path.Combine(parent, StagingLeftovers.Prefix(target) + Guid.NewGuid().ToString("N"));
            var owner = ExclusiveFileLock.TryAcquire(root + StagingLeftovers.OwnerSuffix, deleteOnRelease: true)
                ?? throw new BundleException($"The staging folder '{root}' is in use by another process.");
            Directory.CreateDirectory(root);
            return new TreeStaging(target, root, owner);
        }
    }

    /// <summary>
    /// Undoes or finishes what killed stagings of <paramref name="targetDirectory"/> left, holding its lock, so that
    /// the target is as the last commit that completed left it. Every staging does this when it is created.
    /// </summary>
    public static void RecoverLeftovers(string targetDirectory, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(targetDirectory).TrimEnd(Path.DirectorySeparatorChar);
        if (Path.GetDirectoryName(target) is not { } parent || !Directory.Exists(parent))
        {
            return;
        }

        using (TargetLock.Acquire(target, cancellationToken))
        {
            StagingLeftovers.Recover(target);
        }
    }

    /// <summary>
    /// Moves the staged package folders into the target. A new target is one rename; into an existing target each
    /// package folder is renamed in, replacing a previous copy of the same package and version. If one cannot be
    /// placed, the ones placed before are taken out again and the previous copies put back.
    /// </summary>
    public void Commit(IEnumerable<string> packageFolders, CancellationToken cancellationToken) =>
        Commit(packageFolders, [], cancellationToken);

    /// <summary>
    /// As <see cref="Commit(IEnumerable{string}, CancellationToken)"/>, first taking <paramref name="removedFolders"/>
    /// out of the target, in the same journaled commit: a commit that fails or is killed puts them back too. Their
    /// parent folders left empty are deleted afterwards.
    /// </summary>
    public void Commit(IEnumerable<string> packageFolders, IEnumerable<string> removedFolders, CancellationToken cancellationToken)
    {
        using var held = TargetLock.Acquire(_target, cancellationToken);
        if (MovedToNewTarget())
        {
            return;
        }

        using var journal = new CommitJournal(Root + StagingLeftovers.CommitSuffix);
        var placed = new List<string>();
        var replaced = new List<(string Folder, string Aside)>();
        var removed = removedFolders.ToList();
        try
        {
            foreach (var folder in removed)
            {
                var destination = EntryPath.Combine(_target, folder);
                if (Directory.Exists(destination))
                {
                    var aside = journal.SetAside(folder);
                    Directory.Move(destination, aside);
                    replaced.Add((folder, aside));
                }
            }

            foreach (var folder in packageFolders)
            {
                var destination = EntryPath.Combine(_target, folder);
                if (Directory.Exists(destination))
                {
                    var aside = journal.SetAside(folder);
                    Directory.Move(destination, aside);
                    replaced.Add((folder, aside));
                }

                journal.Placing(folder);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                Directory.Move(EntryPath.Combine(Root, folder), destination);
                placed.Add(folder);
            }
        }
        catch
        {
            Undo(placed, replaced);
            journal.Finish();
            throw;
        }

        journal.Finish();
        _committed = true;
        DeleteRoot();
        foreach (var folder in removed)
        {
            DeleteEmptyParents(EntryPath.Combine(_target, folder));
        }
    }

    /// <summary>Replaces the whole target with the staged tree: a previous target is renamed aside first and deleted after.</summary>
    public void CommitReplacingTarget(CancellationToken cancellationToken)
    {
        using var held = TargetLock.Acquire(_target, cancellationToken);
        if (MovedToNewTarget())
        {
            return;
        }

        var previous = Root + StagingLeftovers.PreviousSuffix;
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

        _owner.Dispose();
    }

    private void Undo(List<string> placed, List<(string Folder, string Aside)> replaced)
    {
        for (var i = placed.Count - 1; i >= 0; i--)
        {
            Directory.Move(EntryPath.Combine(_target, placed[i]), EntryPath.Combine(Root, placed[i]));
        }

        for (var i = replaced.Count - 1; i >= 0; i--)
        {
            Directory.Move(replaced[i].Aside, EntryPath.Combine(_target, replaced[i].Folder));
        }
    }

    /// <summary>Deletes the folders above a removed package folder, up to the target, that it left empty (<c>id/</c>, <c>@scope/</c>).</summary>
    private void DeleteEmptyParents(string removedFolder)
    {
        for (var parent = Path.GetDirectoryName(removedFolder); parent is not null && parent.Length > _target.Length; parent = Path.GetDirectoryName(parent))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(parent).Any())
                {
                    return;
                }

                Directory.Delete(parent);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: an empty folder left behind holds no package.
                return;
            }
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

    /// <summary>Files at least this large get their size reserved up front (one extent); smaller ones are written in one or two calls anyway.</summary>
    private const long PreallocateFrom = 1024 * 1024;

    /// <summary>
    /// Creates a file of the tree, create-new, with its manifest mode; a large file's size is preallocated. Its folder
    /// is created only when the file cannot be, so a folder of many files costs one <c>mkdir</c>, not one per file.
    /// </summary>
    internal static FileStream CreateFile(string root, string relativePath, FileEntry file)
    {
        var path = EntryPath.Combine(root, relativePath);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            PreallocationSize = file.Size >= PreallocateFrom ? file.Size : 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = (UnixFileMode)file.Mode;
        }

        try
        {
            return new FileStream(path, options);
        }
        catch (IOException ex) when (ex is DirectoryNotFoundException or FileNotFoundException)
        {
            // Creating a new file fails so only when its folder is missing (Linux reports ENOENT as file not found).
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new FileStream(path, options);
        }
    }
}
