using NuGet.Versioning;
using Bundler.Loader.Format;

namespace Bundler.Core.Sources.Npm;

/// <summary>
/// The version npm installs for a range: a dist-tag names its version; otherwise the <c>latest</c> tag when it
/// satisfies the range (or the range is <c>*</c>), else the highest satisfying version, preferring versions that are
/// not deprecated.
/// </summary>
internal static class NpmVersionPicker
{
    public static (NuGetVersion Version, NpmVersionManifest Manifest)? Pick(NpmPackument packument, string range, IReadOnlyList<NpmComparatorSet>? sets)
    {
        var versions = new List<(NuGetVersion Version, NpmVersionManifest Manifest)>();
        foreach (var (text, manifest) in packument.Versions ?? [])
        {
            if (NuGetVersion.TryParse(text, out var version))
            {
                versions.Add((version, manifest with { Version = text }));
            }
        }

        if (sets is null)
        {
            return packument.DistTags?.GetValueOrDefault(range) is { } tagged && NuGetVersion.TryParse(tagged, out var tagVersion)
                ? versions.FirstOrDefault(v => v.Version == tagVersion) is { Manifest: not null } found ? found : null
                : null;
        }

        if (packument.DistTags?.GetValueOrDefault("latest") is { } latestText && NuGetVersion.TryParse(latestText, out var latest))
        {
            var match = versions.FirstOrDefault(v => v.Version == latest);
            if (match.Manifest is not null && match.Manifest.Deprecated is null && (range.Trim() is "*" or "" || NpmRange.Satisfies(sets, latest)))
            {
                return match;
            }
        }

        var satisfying = versions.Where(v => NpmRange.Satisfies(sets, v.Version)).ToList();
        if (satisfying.Count == 0)
        {
            return null;
        }

        return satisfying.OrderBy(v => v.Manifest.Deprecated is null ? 0 : 1).ThenByDescending(v => v.Version).First();
    }
}
