using System.Security.Cryptography;
using Xunit;

namespace Bundler.Testing;

/// <summary>File-by-file comparisons of folders.</summary>
public static class TreeAssert
{
    /// <summary>Where a load keeps its record inside the target: bookkeeping, not part of the loaded tree.</summary>
    public const string LoadRecordFolder = ".bundler-load/";

    /// <summary>Relative path ('/'-separated) to sha256 of every file below <paramref name="root"/>, but the load record.</summary>
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return files;
        }

        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.StartsWith(LoadRecordFolder, StringComparison.Ordinal))
            {
                continue;
            }

            files[relative] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return files;
    }

    public static void Equal(string expectedRoot, string actualRoot) =>
        Assert.Equal(Snapshot(expectedRoot), Snapshot(actualRoot));

    /// <summary>The folder holds exactly these files with these bytes.</summary>
    public static void Holds(string root, IReadOnlyDictionary<string, byte[]> expected)
    {
        var expectedHashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, bytes) in expected)
        {
            expectedHashes[path] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }

        Assert.Equal(expectedHashes, Snapshot(root));
    }

    /// <summary>Every entry (files and folders) directly in <paramref name="directory"/>.</summary>
    public static string[] Listing(string directory) =>
        Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
}
