using System.Collections.Immutable;
using NuGet.Frameworks;
using NuGet.Packaging.Core;
using NuGet.Versioning;
using Bundler.Loader;

namespace Bundler.Core.Sources.NuGet;

/// <summary>
/// The transitive closure of a set of direct references for one target framework, by the rules of NuGet's
/// PackageReference restore:
/// <list type="bullet">
/// <item>each reference takes the lowest version its range allows (floating ranges the highest that matches);</item>
/// <item>dependencies come from the nearest dependency group for the target framework;</item>
/// <item>nearest wins: a dependency is ignored on every path where an ancestor, or a sibling of an ancestor, already
/// names the same id (so a direct reference wins over every transitive one);</item>
/// <item>cousins: of the remaining references to one id, the highest of their lowest versions is taken, the lowest
/// version that satisfies all their lower bounds;</item>
/// <item>a package that depends on itself through others is a cycle, an error.</item>
/// </list>
/// Which versions win decides whose dependencies count, so the walk repeats until the chosen versions stop changing.
/// </summary>
internal sealed class NuGetClosure(NuGetFeedSet feeds, NuGetFramework framework)
{
    private const int MaxRounds = 32;

    public sealed record Node(string Id, NuGetVersion Version, NuGetFeed Feed, bool Direct);

    public async Task<IReadOnlyList<Node>> ResolveAsync(IReadOnlyList<(string Id, VersionRange Range)> references, CancellationToken cancellationToken)
    {
        var direct = new Dictionary<string, (string Id, NuGetVersion Version, NuGetFeed Feed)>(StringComparer.OrdinalIgnoreCase);
        var picks = await Task.WhenAll(references.Select(async r => (r.Id, Pick: await PickAsync(r.Id, r.Range, null, cancellationToken))));
        foreach (var (id, pick) in picks)
        {
            direct[id] = (id, pick.Version, pick.Feed);
        }

        var chosen = new Dictionary<string, (string Id, NuGetVersion Version, NuGetFeed Feed)>(direct, StringComparer.OrdinalIgnoreCase);
        for (var round = 0; round < MaxRounds; round++)
        {
            var next = await WalkAsync(direct, chosen, cancellationToken);
            if (next.Count == chosen.Count && next.All(p => chosen.TryGetValue(p.Key, out var c) && c.Version == p.Value.Version))
            {
                return [.. chosen.Values.Select(c => new Node(c.Id, c.Version, c.Feed, direct.ContainsKey(c.Id)))];
            }

            chosen = next;
        }

        throw new BundleException($"{feeds.Describe(references[0].Id)}: the dependency versions did not settle after {MaxRounds} rounds; pin the packages whose versions alternate with direct references.");
    }

    /// <summary>One reference on its own, without dependencies.</summary>
    public async Task<Node> ResolveDirectAsync(string id, VersionRange range, CancellationToken cancellationToken)
    {
        var (version, feed) = await PickAsync(id, range, null, cancellationToken);
        return new Node(id, version, feed, Direct: true);
    }

    private async Task<Dictionary<string, (string Id, NuGetVersion Version, NuGetFeed Feed)>> WalkAsync(
        Dictionary<string, (string Id, NuGetVersion Version, NuGetFeed Feed)> direct,
        Dictionary<string, (string Id, NuGetVersion Version, NuGetFeed Feed)> chosen,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, (string Id, NuGetVersion Version, NuGetFeed Feed)>(direct, StringComparer.OrdinalIgnoreCase);
        var rootDeclared = direct.Keys.ToImmutableHashSet(StringComparer.OrdinalIgnoreCase);
        var visited = new HashSet<(string, NuGetVersion)>();
        var level = direct.Values
            .Select(d => new Walk(d.Id, d.Version, d.Feed, rootDeclared, ImmutableList.Create(d.Id + " " + d.Version.ToNormalizedString())))
            .ToList();
        while (level.Count > 0)
        {
            level = [.. level.Where(w => visited.Add((w.Id.ToUpperInvariant(), w.Version)))];
            var infos = await Task.WhenAll(level.Select(w => w.Feed.GetPackageAsync(w.Id, w.Version, cancellationToken)));
            var edges = new List<(Walk Parent, PackageDependency Dependency, ImmutableHashSet<string> Declared)>();
            for (var i = 0; i < level.Count; i++)
            {
                var group = NuGetFrameworkUtility.GetNearest(infos[i].DependencyGroups, framework, g => g.TargetFramework);
                var dependencies = group?.Packages.ToList() ?? [];
                var declared = level[i].Declared.Union(dependencies.Select(d => d.Id));
                foreach (var dependency in dependencies)
                {
                    if (level[i].Path.Any(p => p.StartsWith(dependency.Id + " ", StringComparison.OrdinalIgnoreCase)))
                    {
                        throw new BundleException($"{feeds.Describe(dependency.Id)}: dependency cycle {string.Join(" -> ", level[i].Path)} -> {dependency.Id}; NuGet cannot restore it.");
                    }

                    if (!level[i].Declared.Contains(dependency.Id))
                    {
                        edges.Add((level[i], dependency, declared));
                    }
                }
            }

            var picks = await Task.WhenAll(edges.Select(e => PickAsync(e.Dependency.Id, e.Dependency.VersionRange, e.Parent, cancellationToken)));
            var nextLevel = new List<Walk>();
            for (var i = 0; i < edges.Count; i++)
            {
                var (parent, dependency, declared) = edges[i];
                var pick = picks[i];
                if (!result.TryGetValue(dependency.Id, out var current) || pick.Version > current.Version)
                {
                    result[dependency.Id] = (dependency.Id, pick.Version, pick.Feed);
                }

                var walked = chosen.TryGetValue(dependency.Id, out var winner) ? (winner.Version, winner.Feed) : pick;
                nextLevel.Add(new Walk(dependency.Id, walked.Version, walked.Feed, declared, parent.Path.Add(dependency.Id + " " + walked.Version.ToNormalizedString())));
            }

            level = nextLevel;
        }

        return result;
    }

    private async Task<(NuGetVersion Version, NuGetFeed Feed)> PickAsync(string id, VersionRange range, Walk? parent, CancellationToken cancellationToken)
    {
        var versions = await feeds.GetVersionsAsync(id, cancellationToken);
        var required = parent is null ? "" : $" (required by {string.Join(" -> ", parent.Path)})";
        if (versions.Count == 0)
        {
            throw new BundleException($"Package '{id}'{required} is not on {feeds.Describe(id)}; check the id and the source.");
        }

        var best = range.FindBestMatch(versions.Keys)
            ?? throw new BundleException($"No version of '{id}' satisfies '{range.ToNormalizedString()}'{required} on {feeds.Describe(id)}; it has {Summary(versions.Keys)}.");
        return (best, versions[best]);
    }

    internal static string Summary(IEnumerable<NuGetVersion> versions)
    {
        var sorted = versions.Order().Select(v => v.ToNormalizedString()).ToList();
        return sorted.Count <= 8 ? string.Join(", ", sorted) : $"{sorted.Count} versions from {sorted[0]} to {sorted[^1]}";
    }

    private sealed record Walk(string Id, NuGetVersion Version, NuGetFeed Feed, ImmutableHashSet<string> Declared, ImmutableList<string> Path);
}
