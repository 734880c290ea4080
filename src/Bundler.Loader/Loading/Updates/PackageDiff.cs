using Bundler.Loader.Format;

namespace Bundler.Loader.Loading.Updates;

/// <summary>
/// Compares the packages a load selected from a new manifest with the load record, by folder (<c>id/version</c>) and
/// content (every file's path, size, mode and sha256, in order, which is what the tree holds: a change of globs,
/// layout or bytes changes it, a change of archive or frames alone does not).
/// </summary>
internal static class PackageDiff
{
    /// <param name="record">The previous load's record, or null for none.</param>
    /// <param name="selected">The selected packages of the new manifest, in manifest order.</param>
    /// <param name="subset">
    /// True when the load names packages: then only recorded versions of the named ids are removed, and the rest of the
    /// record stays; otherwise every recorded package not selected is removed.
    /// </param>
    public static UpdatePlan Compare(LoadRecord? record, IReadOnlyList<PackageEntry> selected, bool subset)
    {
        var recorded = record?.Packages.ToDictionary(p => p.Folder, StringComparer.Ordinal) ?? [];
        var fetch = new List<PackageEntry>();
        var kept = new List<PackageEntry>();
        foreach (var package in selected)
        {
            (recorded.TryGetValue(package.Folder, out var previous) && SameContent(previous, package) ? kept : fetch).Add(package);
        }

        var selectedFolders = selected.Select(p => p.Folder).ToHashSet(StringComparer.Ordinal);
        var selectedIds = selected.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var removed = recorded.Values
            .Where(p => !selectedFolders.Contains(p.Folder) && (!subset || selectedIds.Contains(p.Id)))
            .Select(p => p.Folder)
            .Order(StringComparer.Ordinal)
            .ToList();
        return new UpdatePlan(selected, fetch, kept, removed);
    }

    /// <summary>True when the recorded package holds exactly the files the manifest's package describes.</summary>
    public static bool SameContent(RecordedPackage recorded, PackageEntry package)
    {
        if (recorded.Files.Count != package.Files.Count)
        {
            return false;
        }

        for (var i = 0; i < package.Files.Count; i++)
        {
            var (a, b) = (recorded.Files[i], package.Files[i]);
            if (!string.Equals(a.Path, b.Path, StringComparison.Ordinal) || a.Size != b.Size || a.Mode != b.Mode || !string.Equals(a.Sha256, b.Sha256, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
