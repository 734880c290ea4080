using System.Security.Cryptography;
using Bundler.Loader.Format;

namespace Bundler.Loader.Loading.Updates;

/// <summary>
/// Whether a package folder in the target is still exactly what the load record says was written there: the same
/// files and no others, each a regular file with its recorded size, permission bits and last write time, and, when
/// asked (<see cref="PackageLoadOptions.VerifyLocal"/>), its bytes hashing to the manifest's sha256.
/// </summary>
internal static class LocalPackageCheck
{
    /// <summary>What is wrong with the local copy of <paramref name="recorded"/>, naming the file, or null when it can be kept.</summary>
    public static string? Problem(string target, RecordedPackage recorded, bool hash, CancellationToken cancellationToken)
    {
        var folder = EntryPath.Combine(target, recorded.Folder);
        if (!Directory.Exists(folder))
        {
            return "its folder is missing";
        }

        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in recorded.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            expected.Add(file.Path);
            var problem = FileProblem(EntryPath.Combine(folder, file.Path), file, hash);
            if (problem is not null)
            {
                return $"'{file.Path}' {problem}";
            }
        }

        foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!expected.Contains(relative) && !Directory.Exists(path))
            {
                return $"'{relative}' is there, which the load did not write";
            }
        }

        return null;
    }

    /// <summary>How the file on disk is now, for the record.</summary>
    public static RecordedFile Describe(string path, FileEntry file)
    {
        var info = new FileInfo(path);
        return new RecordedFile
        {
            Path = file.Path,
            Size = file.Size,
            Mode = file.Mode,
            Sha256 = file.Sha256,
            DiskMode = DiskMode(path),
            Modified = info.LastWriteTimeUtc.Ticks,
        };
    }

    private static string? FileProblem(string path, RecordedFile file, bool hash)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return "is missing";
        }

        if (info.LinkTarget is not null)
        {
            return "was replaced by a link";
        }

        if (info.Length != file.Size)
        {
            return $"is {info.Length} bytes; the load wrote {file.Size}";
        }

        if (info.LastWriteTimeUtc.Ticks != file.Modified)
        {
            return "was modified after the load";
        }

        if (DiskMode(path) != file.DiskMode)
        {
            return "had its permissions changed after the load";
        }

        if (hash)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (!string.Equals(actual, file.Sha256, StringComparison.Ordinal))
            {
                return $"has sha256 {actual}; the manifest says {file.Sha256}";
            }
        }

        return null;
    }

    private static int DiskMode(string path) => OperatingSystem.IsWindows() ? 0 : (int)File.GetUnixFileMode(path);
}
