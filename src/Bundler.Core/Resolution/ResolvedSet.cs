namespace Bundler.Core.Resolution;

/// <summary>A resolved package set, sorted by source, id (ignoring case) and version, so it compares and serializes stably.</summary>
internal sealed class ResolvedSet
{
    public ResolvedSet(IEnumerable<ResolvedPackage> packages)
    {
        Packages = [.. packages
            .OrderBy(p => p.Source, StringComparer.Ordinal)
            .ThenBy(p => p.Id, StringComparer.OrdinalIgnoreCase)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .ThenBy(p => p.Version, StringComparer.Ordinal)];
    }

    public IReadOnlyList<ResolvedPackage> Packages { get; }

    public bool SameAs(ResolvedSet other) => Packages.SequenceEqual(other.Packages);
}
