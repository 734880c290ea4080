using System.Globalization;
using NuGet.Versioning;
using Bundler.Core.Download;
using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;
using Bundler.Loader;
using Bundler.Loader.Format;
using Bundler.Loader.Http;

namespace Bundler.Core.Sources.Npm;

/// <summary>
/// An <c>npm</c> source. Each range takes the version npm takes (<see cref="NpmVersionPicker"/>); with
/// <c>transitive</c>, dependencies, optional dependencies and non-optional peer dependencies follow, breadth first and
/// by name, reusing a version already in the set when it satisfies the range, as npm's deduplicating tree does.
/// </summary>
internal sealed class NpmSource(SourceSpec spec, HttpClient client) : IPackageSource
{
    private readonly NpmRegistry _registry = new(spec.Url!, new SourceHttp(client, spec.Name));

    public async Task<IReadOnlyList<ResolvedPackage>> ResolveAsync(IReadOnlyList<PackageRequest> requests, CancellationToken cancellationToken)
    {
        var chosen = new Dictionary<string, List<(NuGetVersion Version, NpmVersionManifest Manifest)>>(StringComparer.Ordinal);
        var direct = requests.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var level = requests.Select(r => (Name: r.Id, Spec: r.Version ?? "latest", RequiredBy: (string?)null)).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        while (level.Count > 0)
        {
            // Fetch the level's packuments concurrently; failures surface below, in order, with their context.
            await Task.WhenAll(level.Select(e => Unalias(e.Name, e.Spec)).Where(e => NpmRange.IsTag(e.Range) || NpmRange.TryParse(e.Range) is not null)
                .Select(e => e.Name).Distinct(StringComparer.Ordinal)
                .Select(async n =>
                {
                    try
                    {
                        await _registry.GetPackumentAsync(n, cancellationToken);
                    }
                    catch (BundleException)
                    {
                    }
                }));
            var next = new List<(string Name, string Spec, string? RequiredBy)>();
            foreach (var (alias, specText, requiredBy) in level)
            {
                var (name, range) = Unalias(alias, specText);
                var sets = NpmRange.IsTag(range) ? null : NpmRange.TryParse(range)
                    ?? throw new BundleException($"Source '{spec.Name}': '{name}@{range}'{RequiredBy(requiredBy)} is not an npm version range this tool reads (ranges and dist-tags only; not git, file or URL specs).");
                var packument = await _registry.GetPackumentAsync(name, cancellationToken)
                    ?? throw new BundleException($"Package '{name}'{RequiredBy(requiredBy)} is not on source '{spec.Name}' ({_registry.Root}); check the name and the registry.");
                var placed = chosen.GetValueOrDefault(name);
                if (placed is not null && sets is not null && placed.Any(p => NpmRange.Satisfies(sets, p.Version)))
                {
                    continue;
                }

                var (version, manifest) = NpmVersionPicker.Pick(packument, range, sets)
                    ?? throw new BundleException($"No version of '{name}' satisfies '{range}'{RequiredBy(requiredBy)} on source '{spec.Name}' ({_registry.PackumentUrl(name)}); it has {Summary(packument)}.");
                if (placed is not null && placed.Any(p => p.Version == version))
                {
                    continue;
                }

                (chosen.TryGetValue(name, out var list) ? list : chosen[name] = []).Add((version, manifest));
                if (!spec.Transitive)
                {
                    continue;
                }

                var from = $"{name}@{manifest.Version}";
                var dependencies = new SortedDictionary<string, string>(StringComparer.Ordinal);
                foreach (var (dependency, dependencyRange) in manifest.PeerDependencies ?? [])
                {
                    if (manifest.PeerDependenciesMeta?.GetValueOrDefault(dependency)?.Optional != true)
                    {
                        dependencies[dependency] = dependencyRange;
                    }
                }

                foreach (var (dependency, dependencyRange) in (manifest.OptionalDependencies ?? []).Concat(manifest.Dependencies ?? []))
                {
                    dependencies[dependency] = dependencyRange;
                }

                next.AddRange(dependencies.Select(d => (d.Key, d.Value, (string?)from)));
            }

            level = next;
        }

        return [.. chosen.SelectMany(c => c.Value.Select(p => ToResolved(c.Key, p.Manifest, direct.GetValueOrDefault(c.Key))))];
    }

    private ResolvedPackage ToResolved(string name, NpmVersionManifest manifest, PackageRequest? request)
    {
        var tarball = manifest.Dist?.Tarball;
        if (!HttpUrls.TryParse(tarball, out var url))
        {
            throw new BundleException($"Source '{spec.Name}': {name}@{manifest.Version} has no http(s) dist.tarball ('{tarball}').");
        }

        // Old packuments publish only the sha1 "shasum"; the download verifies whichever this is.
        var integrity = ContentHash.TryParse(manifest.Dist!.Integrity, out var published) ? published!.Sri
            : manifest.Dist.Shasum is { Length: 40 } sha1 && sha1.All(char.IsAsciiHexDigit) ? ContentHash.FromHex("sha1", sha1).Sri : null;
        return new ResolvedPackage
        {
            Source = spec.Name,
            SourceKind = SourceKind.Npm,
            Id = name,
            Version = manifest.Version!,
            ArchiveUrl = url,
            Integrity = integrity,
            KeepArchive = request?.KeepArchive ?? spec.KeepArchive,
            Include = request?.Include ?? [],
            Exclude = request?.Exclude ?? [],
            Direct = request is not null,
        };
    }

    /// <summary>npm aliases: <c>"alias": "npm:real-name@^1"</c> installs real-name.</summary>
    private static (string Name, string Range) Unalias(string name, string range)
    {
        if (!range.StartsWith("npm:", StringComparison.Ordinal))
        {
            return (name, range.Trim());
        }

        var target = range[4..];
        var at = target.LastIndexOf('@');
        return at > 0 ? (target[..at], target[(at + 1)..].Trim()) : (target, "latest");
    }

    private static string RequiredBy(string? requiredBy) => requiredBy is null ? "" : $" (required by {requiredBy})";

    private static string Summary(NpmPackument packument)
    {
        var versions = (packument.Versions?.Keys ?? Enumerable.Empty<string>()).ToList();
        return versions.Count switch
        {
            0 => "no versions",
            <= 8 => string.Join(", ", versions),
            _ => string.Create(CultureInfo.InvariantCulture, $"{versions.Count} versions"),
        };
    }
}
