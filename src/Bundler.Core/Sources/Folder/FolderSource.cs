using NuGet.Versioning;
using Bundler.Core.Download;
using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;
using Bundler.Loader;

namespace Bundler.Core.Sources.Folder;

/// <summary>
/// A <c>folder</c> source: archives already on disk, named as <see cref="FolderArchiveScanner"/> reads them; each
/// request takes the version NuGet's rules pick for its range among the files, hashed here (sha512).
/// </summary>
internal sealed class FolderSource(SourceSpec spec) : IPackageSource
{
    public async Task<IReadOnlyList<ResolvedPackage>> ResolveAsync(IReadOnlyList<PackageRequest> requests, CancellationToken cancellationToken)
    {
        var folder = spec.FolderPath!;
        var archives = FolderArchiveScanner.Scan(folder)
            .Select(p => (Input: p, Version: NuGetVersion.Parse(p.Version)))
            .ToList();
        return await Task.WhenAll(requests.Select(async request =>
        {
            var candidates = archives.Where(a => string.Equals(a.Input.Id, request.Id, StringComparison.OrdinalIgnoreCase)).ToList();
            if (candidates.Count == 0)
            {
                throw new BundleException($"{request.Location}: package '{request.Id}' has no archive in folder source '{spec.Name}' ({folder}); add <id>.<version>.<ext> there.");
            }

            var best = request.Ranges[0].FindBestMatch(candidates.Select(c => c.Version))
                ?? throw new BundleException($"{request.Location}: no archive of '{request.Id}' in folder source '{spec.Name}' ({folder}) satisfies '{request.Version}'; it has {string.Join(", ", candidates.Select(c => c.Input.Version))}.");
            var archive = candidates.First(c => c.Version == best).Input;
            return new ResolvedPackage
            {
                Source = spec.Name,
                SourceKind = SourceKind.Folder,
                Id = archive.Id,
                Version = archive.Version,
                ArchiveUrl = new Uri(archive.ArchivePath),
                Size = new FileInfo(archive.ArchivePath).Length,
                Integrity = await ContentHash.Sha512OfFileAsync(archive.ArchivePath, cancellationToken),
                KeepArchive = request.KeepArchive ?? spec.KeepArchive,
                Include = request.Include,
                Exclude = request.Exclude,
                Direct = true,
            };
        }));
    }
}
