using Microsoft.Build.Framework;
using NuGet.Versioning;
using Bundler.Build.Diagnostics;
using Bundler.Core.Download;
using Bundler.Core.Writing;

namespace Bundler.Build.Items;

/// <summary>
/// Turns <c>BundlePackage</c> and <c>BundleSource</c> items into the packages to bundle: validates every item, then
/// resolves each package against its source: folder sources here, by file name, and every other type through the
/// package-set resolver and download engine (<see cref="RemotePackageSet"/>).
/// </summary>
internal static class PackageItemReader
{
    /// <param name="packages">The <c>BundlePackage</c> items.</param>
    /// <param name="sources">The <c>BundleSource</c> items.</param>
    /// <param name="projectDirectory">The folder relative paths in items are relative to.</param>
    /// <param name="workDirectory">Where the package set of non-folder sources and its resolution lock are kept (under obj/).</param>
    /// <param name="cacheFolder">The download cache; null for the default.</param>
    /// <param name="progress">Receives download progress; null for none.</param>
    /// <param name="cancellationToken">Stops resolving and downloading.</param>
    public static async Task<IReadOnlyList<PackageInput>> ReadAsync(
        IReadOnlyList<ITaskItem> packages,
        IReadOnlyList<ITaskItem> sources,
        string projectDirectory,
        string workDirectory,
        string? cacheFolder,
        IProgress<Core.Download.DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        var sourcesByName = ReadSources(sources, projectDirectory);
        var sourceItems = sources.ToDictionary(s => s.ItemSpec.Trim(), StringComparer.OrdinalIgnoreCase);
        var remote = new List<(ITaskItem Item, string Id, string Version, ITaskItem Source)>();
        var indexes = new Dictionary<string, FolderArchiveIndex>(StringComparer.OrdinalIgnoreCase);
        var resolved = new List<PackageInput>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in packages)
        {
            var id = item.ItemSpec.Trim();
            if (!seen.TryAdd(id, item.ItemSpec))
            {
                throw new BundleBuildException(DiagnosticCodes.DuplicatePackage,
                    $"BundlePackage '{id}' is declared twice ('{seen[id]}' and '{item.ItemSpec}'); keep one item per package id.");
            }

            var versionText = item.GetMetadata("Version").Trim();
            if (versionText.Length == 0)
            {
                throw new BundleBuildException(DiagnosticCodes.MissingVersion,
                    $"BundlePackage '{id}' has no Version; add one, e.g. <BundlePackage Include=\"{id}\" Version=\"1.2.3\" /> or a range such as Version=\"[1.2,2.0)\".");
            }

            var source = SourceOf(item, id, sourcesByName);
            if (source.Type == SourceDefinition.Folder)
            {
                resolved.Add(Resolve(item, id, versionText, source, indexes));
            }
            else
            {
                remote.Add((item, id, versionText, sourceItems[source.Name]));
            }
        }

        if (remote.Count > 0)
        {
            resolved.AddRange(await RemotePackageSet.ResolveAsync(remote, projectDirectory, workDirectory, cacheFolder, progress, cancellationToken));
        }

        return resolved;
    }

    private static Dictionary<string, SourceDefinition> ReadSources(IReadOnlyList<ITaskItem> sources, string projectDirectory)
    {
        var byName = new Dictionary<string, SourceDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in sources)
        {
            var name = item.ItemSpec.Trim();
            var type = item.GetMetadata("Type").Trim().ToLowerInvariant();
            if (!SourceDefinition.KnownTypes.Contains(type))
            {
                throw new BundleBuildException(DiagnosticCodes.UnknownSourceType,
                    $"BundleSource '{name}' has Type '{item.GetMetadata("Type")}'; use one of {string.Join(", ", SourceDefinition.KnownTypes)}.");
            }

            var location = type == SourceDefinition.Folder ? item.GetMetadata("Path").Trim() : item.GetMetadata("Url").Trim();
            if (type == SourceDefinition.Folder && location.Length > 0)
            {
                location = Path.GetFullPath(location, projectDirectory);
            }

            if (!byName.TryAdd(name, new SourceDefinition(name, type, location)))
            {
                throw new BundleBuildException(DiagnosticCodes.UnknownSource, $"BundleSource '{name}' is declared twice; give each source its own name.");
            }
        }

        return byName;
    }

    private static SourceDefinition SourceOf(ITaskItem item, string id, Dictionary<string, SourceDefinition> sources)
    {
        var name = item.GetMetadata("Source").Trim();
        if (name.Length == 0)
        {
            return sources.Count == 1
                ? sources.Values.Single()
                : throw new BundleBuildException(DiagnosticCodes.UnknownSource, sources.Count == 0
                    ? $"BundlePackage '{id}' has no source: declare one, e.g. <BundleSource Include=\"local\" Type=\"folder\" Path=\"archives\" />."
                    : $"BundlePackage '{id}' has no Source and there are several BundleSource items ({string.Join(", ", sources.Keys)}); set Source to one of them.");
        }

        return sources.TryGetValue(name, out var source)
            ? source
            : throw new BundleBuildException(DiagnosticCodes.UnknownSource,
                $"BundlePackage '{id}' has Source '{name}', but no BundleSource item has that name; declare it (<BundleSource Include=\"{name}\" Type=\"folder\" Path=\"...\" />) or use one of: {(sources.Count == 0 ? "(none declared)" : string.Join(", ", sources.Keys))}.");
    }

    private static PackageInput Resolve(ITaskItem item, string id, string versionText, SourceDefinition source, Dictionary<string, FolderArchiveIndex> indexes)
    {
        if (!indexes.TryGetValue(source.Name, out var index))
        {
            if (source.Location.Length == 0 || !Directory.Exists(source.Location))
            {
                throw new BundleBuildException(DiagnosticCodes.FolderNotFound, source.Location.Length == 0
                    ? $"BundleSource '{source.Name}' (Type folder) has no Path; set Path to the folder that holds the archives."
                    : $"BundleSource '{source.Name}' has Path '{source.Location}', which is not a folder; create it or correct the Path.");
            }

            index = FolderArchiveIndex.Scan(source.Location);
            indexes.Add(source.Name, index);
        }

        PackageInput? match;
        if (NuGetVersion.TryParse(versionText, out var exact))
        {
            match = index.FindExact(id, exact);
        }
        else if (VersionRange.TryParse(versionText, allowFloating: true, out var range))
        {
            match = index.FindBest(id, range);
        }
        else
        {
            throw new BundleBuildException(DiagnosticCodes.InvalidVersion,
                $"BundlePackage '{id}' has Version '{versionText}', which is neither a version (1.2.3) nor a NuGet version range ([1.2,2.0), 1.*); correct it.");
        }

        if (match is null)
        {
            var present = index.VersionsOf(id).ToList();
            throw new BundleBuildException(DiagnosticCodes.PackageNotFound,
                $"BundlePackage '{id}' Version '{versionText}' matches no archive in '{source.Location}' (BundleSource '{source.Name}'); "
                + (present.Count == 0 ? $"the folder holds no {id}.<version>.<ext> archive." : $"the folder has {id} {string.Join(", ", present)}."));
        }

        return match with
        {
            Source = source.Type,
            KeepArchive = ItemMetadata.IsTrue(item, "KeepArchive"),
            Include = ItemMetadata.Globs(item, "Include"),
            Exclude = ItemMetadata.Globs(item, "Exclude"),
        };
    }
}
