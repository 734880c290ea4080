using NuGet.Versioning;
using Bundler.Core.Download;
using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;

namespace Bundler.Core.Sources.Urls;

/// <summary>A <c>urls</c> source: bundle.json itself names each archive's URL, exact version and optional hash and size.</summary>
internal sealed class UrlListSource(SourceSpec spec) : IPackageSource
{
    public Task<IReadOnlyList<ResolvedPackage>> ResolveAsync(IReadOnlyList<PackageRequest> requests, CancellationToken cancellationToken)
    {
        IReadOnlyList<ResolvedPackage> packages = [.. requests.Select(r => new ResolvedPackage
        {
            Source = spec.Name,
            SourceKind = SourceKind.Urls,
            Id = r.Id,
            Version = NuGetVersion.Parse(r.Version!).ToNormalizedString(),
            ArchiveUrl = r.Url!,
            Size = r.Size,
            Integrity = r.Integrity,
            KeepArchive = r.KeepArchive ?? spec.KeepArchive,
            Include = r.Include,
            Exclude = r.Exclude,
            Direct = true,
        })];
        return Task.FromResult(packages);
    }
}
