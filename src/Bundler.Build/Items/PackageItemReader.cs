using Microsoft.Build.Framework;
using NuGet.Versioning;
using Bundler.Build.Diagnostics;
using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;
using Bundler.Core.Sources.Folder;
using Bundler.Loader;

namespace Bundler.Build.Items;

/// <summary>
/// Turns <c>BundlePackage</c> and <c>BundleSource</c> items into the packages to bundle: validates every item, then
/// resolves each package against its source through Core: folder sources with <see cref="FolderSource"/>, every other
/// type through the package-set resolver (<see cref="RemotePackageSet"/>); those are downloaded while the bundle is
/// written, except a project source's, which restore already put in its packages folder.
/// </summary>
internal static class PackageItemReader
{
    /// <param name="packages">The <c>BundlePackage</c> items.</param>
    /// <param name="sources">The <c>BundleSource</c> items.</param>
    /// <param name="projectDirectory">The folder relative paths in items are relative to.</param>
    /// <param name="workDirectory">Where the package set of non-folder sources and its resolution lock are kept (under obj/).</param>
    /// <param name="cancellationToken">Stops resolving.</param>
    public static async Task<IReadOnlyList<ResolvedItem>> ReadAsync(
        IReadOnlyList<ITaskItem> packages,
        IReadOnlyList<ITaskItem> sources,
        string projectDirectory,
        string workDirectory,
        CancellationToken cancellationToken)
    {
        var sourcesByName = ReadSources(sources, projectDirectory);
        var sourceItems = sources.ToDictionary(s => s.ItemSpec.Trim(), StringComparer.OrdinalIgnoreCase);
        var remote = new List<(ITaskItem Item, string Id, string Version, ITaskItem Source)>();
        var projects = new List<(ITaskItem Item, string Id, string Version, ITaskItem Source)>();
        var folders = new Dictionary<SourceDefinition, List<(ITaskItem Item, string Id, string Version)>>();
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
            var source = SourceOf(item, id, sourcesByName);
            if (source.Type == SourceDefinition.Project)
            {
                projects.Add(versionText.Length == 0
                    ? (item, id, versionText, sourceItems[source.Name])
                    : throw new BundleBuildException(DiagnosticCodes.InvalidVersion,
                        $"BundlePackage '{id}' has Version '{versionText}', but project source '{source.Name}' takes each version restore chooses; remove Version (set it in the project)."));
                continue;
            }

            if (versionText.Length == 0)
            {
                throw new BundleBuildException(DiagnosticCodes.MissingVersion,
                    $"BundlePackage '{id}' has no Version; add one, e.g. <BundlePackage Include=\"{id}\" Version=\"1.2.3\" /> or a range such as Version=\"[1.2,2.0)\".");
            }

            if (source.Type != SourceDefinition.Folder)
            {
                remote.Add((item, id, versionText, sourceItems[source.Name]));
                continue;
            }

            if (!VersionRange.TryParse(versionText, allowFloating: true, out _))
            {
                throw new BundleBuildException(DiagnosticCodes.InvalidVersion,
                    $"BundlePackage '{id}' has Version '{versionText}', which is neither a version (1.2.3) nor a NuGet version range ([1.2,2.0), 1.*); correct it.");
            }

            if (!folders.TryGetValue(source, out var requests))
            {
                folders.Add(source, requests = []);
            }

            requests.Add((item, id, versionText));
        }

        var resolved = new List<ResolvedItem>();
        foreach (var (source, requests) in folders)
        {
            resolved.AddRange(await ResolveFolderAsync(source, requests, cancellationToken));
        }

        if (remote.Count > 0)
        {
            resolved.AddRange(await RemotePackageSet.ResolveAsync(remote, [.. remote.Select(p => p.Source).Distinct()], projectDirectory, workDirectory, cancellationToken));
        }

        // A project source takes every package restore takes when no BundlePackage names it.
        var projectSources = sources.Where(s => sourcesByName[s.ItemSpec.Trim()].Type == SourceDefinition.Project).ToList();
        if (projectSources.Count > 0)
        {
            resolved.AddRange(await RemotePackageSet.ResolveAsync(projects, projectSources, projectDirectory, Path.Combine(workDirectory, SourceDefinition.Project), cancellationToken));
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

            var hasPath = type is SourceDefinition.Folder or SourceDefinition.Project;
            var location = hasPath ? item.GetMetadata("Path").Trim() : item.GetMetadata("Url").Trim();
            if (hasPath && location.Length > 0)
            {
                location = Path.GetFullPath(location, projectDirectory);
            }
            else if (type == SourceDefinition.Project)
            {
                throw new BundleBuildException(DiagnosticCodes.FolderNotFound,
                    $"BundleSource '{name}' (Type project) has no Path; set Path to the .csproj, .sln, .slnx or folder whose restore it takes (relative to the project file).");
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

    /// <summary>
    /// Resolves one folder source's packages through Core's folder source: an exact version matches only itself, a
    /// range picks as NuGet does.
    /// </summary>
    private static async Task<IEnumerable<ResolvedItem>> ResolveFolderAsync(SourceDefinition source, IReadOnlyList<(ITaskItem Item, string Id, string Version)> packages, CancellationToken cancellationToken)
    {
        if (source.Location.Length == 0 || !Directory.Exists(source.Location))
        {
            throw new BundleBuildException(DiagnosticCodes.FolderNotFound, source.Location.Length == 0
                ? $"BundleSource '{source.Name}' (Type folder) has no Path; set Path to the folder that holds the archives."
                : $"BundleSource '{source.Name}' has Path '{source.Location}', which is not a folder; create it or correct the Path.");
        }

        var archives = FolderArchiveScanner.Scan(source.Location);
        var spec = new SourceSpec { Name = source.Name, Kind = SourceKind.Folder, FolderPath = source.Location };
        var requests = packages.Select(p => new PackageRequest
        {
            Source = source.Name,
            Id = p.Id,
            Version = p.Version,
            Ranges = [NuGetVersion.TryParse(p.Version, out var exact) ? new VersionRange(exact, true, exact, true) : VersionRange.Parse(p.Version, allowFloating: true)],
            KeepArchive = ItemMetadata.IsTrue(p.Item, "KeepArchive"),
            Include = ItemMetadata.Globs(p.Item, "Include"),
            Exclude = ItemMetadata.Globs(p.Item, "Exclude"),
            Location = $"BundlePackage '{p.Id}'",
        }).ToList();
        IReadOnlyList<ResolvedPackage> resolved;
        try
        {
            resolved = await new FolderSource(spec, archives).ResolveAsync(requests, cancellationToken);
        }
        catch (BundleException ex)
        {
            throw new BundleBuildException(DiagnosticCodes.PackageNotFound, ex.Message);
        }

        // The manifest names a folder package's source by its type, as it always has.
        return resolved.Select(p => new ResolvedItem(ResolvedPackageInput.From(p, p.ArchiveUrl.LocalPath, verifiedIntegrity: null) with { Source = SourceDefinition.Folder }, p));
    }
}
