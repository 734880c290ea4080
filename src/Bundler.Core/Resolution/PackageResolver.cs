using Bundler.Core.PackageSets;
using Bundler.Core.Sources;
using Bundler.Core.Sources.Folder;
using Bundler.Core.Sources.Npm;
using Bundler.Core.Sources.NuGet;
using Bundler.Core.Sources.Pyodide;
using Bundler.Core.Sources.Urls;
using Bundler.Loader;

namespace Bundler.Core.Resolution;

/// <summary>Resolves a package set: every source at once, each with its own requests, on one shared <see cref="HttpClient"/>.</summary>
internal static class PackageResolver
{
    public static async Task<ResolvedSet> ResolveAsync(PackageSet set, HttpClient client, CancellationToken cancellationToken)
    {
        var groups = set.Packages.GroupBy(p => p.Source, StringComparer.Ordinal).ToList();
        var results = await Task.WhenAll(groups.Select(group =>
        {
            var spec = set.Sources[group.Key];
            IPackageSource source = spec.Kind switch
            {
                SourceKind.NuGet => new NuGetSource(spec, client),
                SourceKind.Urls => new UrlListSource(spec),
                SourceKind.Npm => new NpmSource(spec, client),
                SourceKind.PyodideLock => new PyodideLockSource(spec, client),
                SourceKind.Folder => new FolderSource(spec),
                _ => throw new BundleException($"{set.FilePath}: source '{spec.Name}' is of type {spec.Kind}, which cannot be resolved yet."),
            };
            return source.ResolveAsync([.. group], cancellationToken);
        }));

        var resolved = new ResolvedSet(results.SelectMany(r => r));
        var clash = resolved.Packages
            .GroupBy(p => (Id: p.Id.ToUpperInvariant(), Version: p.Version.ToUpperInvariant()))
            .FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            var sources = string.Join(" and ", clash.Select(p => $"'{p.Source}'"));
            throw new BundleException($"{set.FilePath}: {clash.First().Id} {clash.First().Version} comes from both {sources}; a bundle holds one package per id and version, so take it from one source.");
        }

        return resolved;
    }
}
