using NuGet.Frameworks;
using Bundler.Core.Download;
using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;

namespace Bundler.Core.Sources.NuGet;

/// <summary>
/// A <c>nuget</c> source: each requested package at the version NuGet would pick for its range, and with
/// <c>transitive</c> the whole dependency closure for the source's target framework (<see cref="NuGetClosure"/>).
/// </summary>
internal sealed class NuGetSource(SourceSpec spec, NuGetFeedSet feeds) : IPackageSource
{

    public async Task<IReadOnlyList<ResolvedPackage>> ResolveAsync(IReadOnlyList<PackageRequest> requests, CancellationToken cancellationToken)
    {
        var byId = requests.ToDictionary(r => r.Id, StringComparer.OrdinalIgnoreCase);
        var closure = new NuGetClosure(feeds, spec.TargetFramework ?? NuGetFramework.AnyFramework);
        IReadOnlyList<NuGetClosure.Node> nodes;
        if (spec.Transitive)
        {
            nodes = await closure.ResolveAsync([.. requests.Select(r => (r.Id, r.Ranges[0]))], cancellationToken);
        }
        else
        {
            var each = await Task.WhenAll(requests.Select(r => closure.ResolveDirectAsync(r.Id, r.Ranges[0], cancellationToken)));
            nodes = each;
        }

        return await Task.WhenAll(nodes.Select(async node =>
        {
            var info = await node.Feed.GetPackageAsync(node.Id, node.Version, cancellationToken);
            byId.TryGetValue(node.Id, out var request);
            return new ResolvedPackage
            {
                Source = spec.Name,
                SourceKind = SourceKind.NuGet,
                Id = request?.Id ?? node.Id,
                Version = node.Version.ToNormalizedString(),
                ArchiveUrl = await node.Feed.GetNupkgUrlAsync(node.Id, node.Version),
                Size = info.Size,
                Integrity = info.Sha512 is null ? null : "sha512-" + info.Sha512,
                KeepArchive = request?.KeepArchive ?? spec.KeepArchive,
                Include = request?.Include ?? [],
                Exclude = request?.Exclude ?? [],
                Direct = request is not null,
            };
        }));
    }
}
