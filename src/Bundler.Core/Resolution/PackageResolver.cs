using Bundler.Core.PackageSets;
using Bundler.Core.Sources;
using Bundler.Loader;

namespace Bundler.Core.Resolution;

/// <summary>Resolves a package set: every source at once, each with its own requests (a project source also with none).</summary>
internal static class PackageResolver
{
    public static async Task<ResolvedSet> ResolveAsync(PackageSources sources, CancellationToken cancellationToken)
    {
        var set = sources.Set;
        var requests = set.Packages.ToLookup(p => p.Source, StringComparer.Ordinal);
        var named = set.Sources.Values.Where(s => requests.Contains(s.Name) || s.Kind == SourceKind.Project).ToList();
        var results = await Task.WhenAll(named.Select(source => sources.Create(source).ResolveAsync([.. requests[source.Name]], cancellationToken)));

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
