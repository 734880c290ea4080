using NuGet.Versioning;

namespace Bundler.Core.Sources.Npm;

/// <summary>
/// One <c>||</c> alternative of an npm range, as a NuGet <see cref="VersionRange"/> plus npm's prerelease rule: a
/// prerelease version matches only if a comparator of the same set names a prerelease of the same major.minor.patch.
/// </summary>
internal sealed record NpmComparatorSet(VersionRange Range, IReadOnlyList<(int Major, int Minor, int Patch)> PrereleaseTuples)
{
    public bool Satisfies(NuGetVersion version) =>
        Range.Satisfies(version)
        && (!version.IsPrerelease || PrereleaseTuples.Contains((version.Major, version.Minor, version.Patch)));
}
