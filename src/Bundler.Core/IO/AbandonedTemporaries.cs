using System.Collections.Concurrent;
using Bundler.Loader.IO;

namespace Bundler.Core.IO;

/// <summary>
/// Removes the temporary files and folders of runs that were killed, so nothing of theirs ran to delete them. A
/// temporary file is held open without sharing while its run lives, which locks it (see <see cref="ExclusiveFileLock"/>;
/// the operating system drops the lock with the process); a temporary folder holds such a file, <c>.owner</c>
/// (<see cref="ScratchFolder"/>). A temporary whose lock can be taken and that is older than <see cref="Grace"/> is a
/// dead run's. Removal is best effort: what cannot be removed (another user's) is left.
/// </summary>
internal static class AbandonedTemporaries
{
    /// <summary>A file is created a moment before its creator locks it; in that moment it looks abandoned.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    public const string OwnerFileName = ".owner";

    private static readonly ConcurrentDictionary<(string Folder, string Pattern), bool> Swept = new();

    /// <summary>Removes the abandoned files in <paramref name="folder"/> that match <paramref name="pattern"/>.</summary>
    public static void RemoveFiles(string folder, string pattern)
    {
        foreach (var file in Matching(folder, pattern, folders: false))
        {
            Remove(file, file.FullName, () => file.Delete());
        }
    }

    /// <summary>Removes the abandoned folders in <paramref name="parent"/> that match <paramref name="pattern"/>.</summary>
    public static void RemoveFolders(string parent, string pattern)
    {
        foreach (var folder in Matching(parent, pattern, folders: true).Cast<DirectoryInfo>())
        {
            var owner = Path.Combine(folder.FullName, OwnerFileName);
            Remove(File.Exists(owner) ? new FileInfo(owner) : folder, owner, () => folder.Delete(recursive: true));
        }
    }

    /// <summary>Like <see cref="RemoveFiles"/>, once per process for each folder and pattern (for folders shared by everything, such as the temporary folder).</summary>
    public static void RemoveFilesOnce(string folder, string pattern)
    {
        if (Swept.TryAdd((folder, pattern), true))
        {
            RemoveFiles(folder, pattern);
        }
    }

    /// <summary>Like <see cref="RemoveFolders"/>, once per process for each folder and pattern.</summary>
    public static void RemoveFoldersOnce(string parent, string pattern)
    {
        if (Swept.TryAdd((parent, pattern), false))
        {
            RemoveFolders(parent, pattern);
        }
    }

    private static IEnumerable<FileSystemInfo> Matching(string folder, string pattern, bool folders)
    {
        try
        {
            var directory = new DirectoryInfo(folder);
            return directory.Exists
                ? folders ? directory.GetDirectories(pattern) : directory.GetFiles(pattern)
                : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <param name="age">What tells how old the temporary is: the lock file when there is one.</param>
    /// <param name="lockPath">The file whose lock its live owner holds.</param>
    private static void Remove(FileSystemInfo age, string lockPath, Action delete)
    {
        try
        {
            if (DateTime.UtcNow - age.LastWriteTimeUtc < Grace)
            {
                return;
            }

            using (var owner = File.Exists(lockPath) ? ExclusiveFileLock.TryAcquire(lockPath, deleteOnRelease: false) : null)
            {
                if (owner is null && File.Exists(lockPath))
                {
                    return;
                }
            }

            delete();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another user's, or gone meanwhile.
        }
    }
}
