using NuGet.Packaging;
using Bundler.Core.Archives;
using Bundler.Core.Download;
using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;
using Bundler.Loader;
using Bundler.Loader.Format;

namespace Bundler.Core.Sources.Project;

/// <summary>
/// A <c>project</c> source: what <c>dotnet restore</c> of a project, solution or folder puts in the packages folder,
/// read from each project's <c>project.assets.json</c>, so the set equals restore's by construction (central package
/// management, VersionOverride, implicit references, runtime identifiers, PackageDownload, nuget.config feeds,
/// credentials and source mapping, packages.lock.json). With no requests it takes every package; with requests, only
/// the ids they name, at the versions restore chose. Each .nupkg is read in place from the packages folders and hashed
/// here; the hash must be the one restore recorded beside it (<c>.nupkg.sha512</c>).
/// </summary>
internal sealed class ProjectSource(SourceSpec spec) : IPackageSource
{
    public async Task<IReadOnlyList<ResolvedPackage>> ResolveAsync(IReadOnlyList<PackageRequest> requests, CancellationToken cancellationToken)
    {
        var project = spec.ProjectPath!;
        var assets = (await ProjectRestore.RestoreAsync(project, cancellationToken)).Select(ProjectAssets.Read).ToList();
        var restored = assets
            .SelectMany(a => a.Packages.Select(p => (Package: p, a.PackageFolders)))
            .GroupBy(x => (Id: x.Package.Id.ToUpperInvariant(), x.Package.Version))
            .Select(g => (Package: g.First().Package with { Direct = g.Any(x => x.Package.Direct) }, g.First().PackageFolders))
            .ToList();

        var taken = requests.Count == 0
            ? restored.Select(r => (r.Package, r.PackageFolders, Request: (PackageRequest?)null)).ToList()
            : [.. requests.SelectMany(request =>
            {
                var matches = restored.Where(r => string.Equals(r.Package.Id, request.Id, StringComparison.OrdinalIgnoreCase)).ToList();
                return matches.Count > 0
                    ? matches.Select(r => (r.Package, r.PackageFolders, Request: (PackageRequest?)request))
                    : throw new BundleException($"{request.Location}: restore of '{project}' does not take package '{request.Id}'; reference it in the project or leave it out of project source '{spec.Name}'.");
            })];

        return await Task.WhenAll(taken.Select(t => ResolveAsync(t.Package, t.PackageFolders, t.Request, cancellationToken)));
    }

    /// <summary>Where a package's .nupkg is inside a packages folder, with '/' separators: <c>&lt;id&gt;/&lt;version&gt;/&lt;id&gt;.&lt;version&gt;.nupkg</c> in lower case.</summary>
    public static string PackagePath(string id, string normalizedVersion)
    {
        var (lowerId, lowerVersion) = (id.ToLowerInvariant(), normalizedVersion.ToLowerInvariant());
        return $"{lowerId}/{lowerVersion}/{lowerId}.{lowerVersion}.nupkg";
    }

    private async Task<ResolvedPackage> ResolveAsync(RestoredPackage package, IReadOnlyList<string> folders, PackageRequest? request, CancellationToken cancellationToken)
    {
        if (!PackageIdValidator.IsValidPackageId(package.Id))
        {
            throw new BundleException($"Restore of '{spec.ProjectPath}' lists a package named '{package.Id}', which is not a NuGet package id.");
        }

        var version = package.Version.ToNormalizedString();
        var relative = PackagePath(package.Id, version);
        var archive = folders.Select(f => Path.Combine(f, relative)).FirstOrDefault(File.Exists)
            ?? throw new BundleException($"Restore of '{spec.ProjectPath}' took {package.Id} {version}, but no package folder holds its .nupkg ({relative} in {string.Join(", ", folders)}); delete that package's folder and restore again.");
        // Restore writes the .nupkg's own hash beside it (project.assets.json's is a signed package's content hash, without its signature).
        var recorded = Path.Combine(Path.GetDirectoryName(archive)!, NuGetLayout.GeneratedPath(NuGetLayout.Sha512File, package.Id.ToLowerInvariant(), version.ToLowerInvariant()));
        var integrity = await ContentHash.Sha512OfFileAsync(archive, cancellationToken);
        if (!File.Exists(recorded) || integrity != "sha512-" + (await File.ReadAllTextAsync(recorded, cancellationToken)).Trim())
        {
            throw new BundleException($"'{archive}' is not the {package.Id} {version} restore extracted (its sha512 is not the one in '{recorded}', or that file is missing); delete that package's folder and restore again.");
        }

        return new ResolvedPackage
        {
            Source = spec.Name,
            SourceKind = SourceKind.Project,
            Id = package.Id,
            Version = version,
            ArchiveUrl = new Uri(archive),
            Size = SourceArchive.SizeOf(archive),
            Integrity = integrity,
            Include = request?.Include ?? [],
            Exclude = request?.Exclude ?? [],
            Direct = request is not null || package.Direct,
        };
    }
}
