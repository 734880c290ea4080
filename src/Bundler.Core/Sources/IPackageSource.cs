using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;

namespace Bundler.Core.Sources;

/// <summary>A source of a package set: resolves the set's requests that name it to exact packages.</summary>
internal interface IPackageSource
{
    Task<IReadOnlyList<ResolvedPackage>> ResolveAsync(IReadOnlyList<PackageRequest> requests, CancellationToken cancellationToken);
}
