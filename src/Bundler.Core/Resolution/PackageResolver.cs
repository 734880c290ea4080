using Bundler.Core.Sources;
using Bundler.Loader;

namespace Bundler.Core.Resolution;

/// <summary>Resolves a package set: every source at once, each with its own requests.</summary>
internal static class PackageResolver
{
    public static async Task<ResolvedSet> ResolveAsync(PackageSources sources, CancellationToken cancellationToken)
    {
        var set = sources.Set;
        var groups = set.Packages.GroupBy(p => p.Source, StringComparer.Ordinal).ToList();
        var results = await Task.WhenAll(groups.Select(group => sources.Create(set.Sources[group.Key]).ResolveAsync([.. group], cancellationToken)));

        var resolved = new ResolvedSet(results.SelectMany(r => r));
        var clash = resolved.Packages
            .GroupBy(p => (Id: p.Id.ToUpperInvariant(), Version: p.Version.ToUpperInvariant()))
            .FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            var names = string.Join(" and ", clash.Select(p => $"'{p.Source}'"));
            throw new BundleException($"{set.FilePath}: {clash.First().Id} {clash.First().Version} comes from both {names}; a bundle holds one package per id and version, so take it from one source.");
        }

        return resolved;
    }
}
