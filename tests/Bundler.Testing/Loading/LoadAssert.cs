using Xunit;

namespace Bundler.Testing.Loading;

/// <summary>Checks on loaded trees and on what a failed load left behind.</summary>
public static class LoadAssert
{
    /// <summary>Relative path to Unix mode of every file below <paramref name="root"/>.</summary>
    public static SortedDictionary<string, UnixFileMode> Modes(string root)
    {
        var modes = new SortedDictionary<string, UnixFileMode>(StringComparer.Ordinal);
        if (OperatingSystem.IsWindows())
        {
            return modes;
        }

        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (!relative.StartsWith(TreeAssert.LoadRecordFolder, StringComparison.Ordinal))
            {
                modes[relative] = File.GetUnixFileMode(file);
            }
        }

        return modes;
    }

    /// <summary>The same files, bytes and modes under both roots.</summary>
    public static void SameTree(string expectedRoot, string actualRoot)
    {
        TreeAssert.Equal(expectedRoot, actualRoot);
        Assert.Equal(Modes(expectedRoot), Modes(actualRoot));
    }

    /// <summary>A target made by <see cref="PublishedPackages.ExistingTarget"/> still holds only its own file, and nothing lies beside it.</summary>
    public static void Untouched(string target)
    {
        Assert.Equal(["mine/keep.txt"], TreeAssert.Snapshot(target).Keys);
        NothingBesideTarget(target);
    }

    /// <summary>The target's parent holds nothing but the target (no staging or scratch folders).</summary>
    public static void NothingBesideTarget(string target)
    {
        var parent = Path.GetDirectoryName(target)!;
        var entries = Directory.Exists(parent) ? Directory.GetFileSystemEntries(parent).Select(Path.GetFileName).ToArray() : [];
        Assert.All(entries, e => Assert.Equal(Path.GetFileName(target), e));
    }
}
