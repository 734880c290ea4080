using NuGet.Versioning;
using Bundler.Core.Archives;
using Bundler.Core.Download;
using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;
using Bundler.Core.Writing;
using Bundler.Loader;

namespace Bundler.Core.Sources.Folder;

/// <summary>
/// A <c>folder</c> source: archives already on disk, named as <see cref="FolderArchiveScanner"/> reads them; each
/// request takes the version NuGet's rules pick for its range among the files, hashed here (sha512).
/// </summary>
/// <param name="spec">The source; its <see cref="SourceSpec.FolderPath"/> is the folder.</param>
/// <param name="archives">The folder's archives when the caller has scanned it already; null to scan it here.</param>
internal sealed class FolderSource(SourceSpec spec, IReadOnlyList<PackageInput>? archives = null) : IPackageSource
{
    public async Task<IReadOnlyList<ResolvedPackage>> ResolveAsync(IReadOnlyList<PackageRequest> requests, CancellationToken cancellationToken)
    {
        var folder = spec.FolderPath!;
        var scanned = (archives ?? FolderArchiveScanner.Scan(folder))
            .Select(p => (Input: p, Version: NuGetVersion.Parse(p.Version)))
            .ToList();
        return await Task.WhenAll(requests.Select(async request =>
        {
            var candidates = scanned.Where(a => string.Equals(a.Input.Id, request.Id, StringComparison.OrdinalIgnoreCase)).ToList();
            if (candidates.Count == 0)
            {
                throw new BundleException($"{request.Location}: package '{request.Id}' has no archive in folder source '{spec.Name}' ({folder}); add <id>.<version>.<ext> there.");
            }

            var best = request.Ranges[0].FindBestMatch(candidates.Select(c => c.Version))
                ?? throw new BundleException($"{request.Location}: no archive of '{request.Id}' in folder source '{spec.Name}' ({folder}) satisfies '{request.Version}'; it has {string.Join(", ", candidates.Select(c => c.Input.Version))}.");
            var picked = candidates.Where(c => c.Version == best).Select(c => c.Input).ToList();
            if (picked.Count > 1)
            {
                throw new BundleException($"{request.Location}: the archives '{picked[0].ArchivePath}' and '{picked[1].ArchivePath}' are both {request.Id} {best}; keep one of them in folder source '{spec.Name}'.");
            }

            var archive = picked[0];
            return new ResolvedPackage
            {
                Source = spec.Name,
                SourceKind = SourceKind.Folder,
                Id = archive.Id,
                Version = archive.Version,
                ArchiveUrl = new Uri(archive.ArchivePath),
                Size = SourceArchive.SizeOf(archive.ArchivePath),
                Integrity = await ContentHash.Sha512OfFileAsync(archive.ArchivePath, cancellationToken),
                KeepArchive = request.KeepArchive ?? spec.KeepArchive,
                Include = request.Include,
                Exclude = request.Exclude,
                Direct = true,
            };
        }));
    }
}
