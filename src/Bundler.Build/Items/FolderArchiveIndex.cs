using NuGet.Versioning;
using Bundler.Build.Diagnostics;
using Bundler.Core.Sources.Folder;
using Bundler.Core.Writing;

namespace Bundler.Build.Items;

/// <summary>
/// The archives of one folder, named <c>&lt;id&gt;.&lt;version&gt;.&lt;ext&gt;</c> as <see cref="FolderArchiveScanner"/>
/// reads them, so that a package id and a version or NuGet version range can be matched against them.
/// </summary>
internal sealed class FolderArchiveIndex
{
    private readonly IReadOnlyList<PackageInput> _archives;

    private FolderArchiveIndex(IReadOnlyList<PackageInput> archives)
    {
        _archives = archives;
    }

    public static FolderArchiveIndex Scan(string directory) => new(FolderArchiveScanner.Scan(directory));

    /// <summary>The archive of <paramref name="id"/> (ignoring case) with exactly <paramref name="version"/>, if any.</summary>
    public PackageInput? FindExact(string id, NuGetVersion version) =>
        Candidates(id).GetValueOrDefault(version);

    /// <summary>
    /// The archive NuGet would pick for <paramref name="range"/>: the lowest version in a plain range, the highest in a
    /// floating one (<c>1.*</c>).
    /// </summary>
    public PackageInput? FindBest(string id, VersionRange range)
    {
        var candidates = Candidates(id);
        var best = range.FindBestMatch(candidates.Keys);
        return best is null ? null : candidates[best];
    }

    /// <summary>The versions present for <paramref name="id"/>, for error messages.</summary>
    public IEnumerable<string> VersionsOf(string id) => _archives.Where(a => IsId(a, id)).Select(a => a.Version);

    private Dictionary<NuGetVersion, PackageInput> Candidates(string id)
    {
        var candidates = new Dictionary<NuGetVersion, PackageInput>();
        foreach (var archive in _archives.Where(a => IsId(a, id)))
        {
            var version = NuGetVersion.Parse(archive.Version);
            if (!candidates.TryAdd(version, archive))
            {
                throw new BundleBuildException(DiagnosticCodes.PackageNotFound,
                    $"The archives '{candidates[version].ArchivePath}' and '{archive.ArchivePath}' are both {id} {version}; keep one of them in the folder.");
            }
        }

        return candidates;
    }

    private static bool IsId(PackageInput archive, string id) => string.Equals(archive.Id, id, StringComparison.OrdinalIgnoreCase);
}
