using Bundler.Core.PackageSets;
using Bundler.Core.Writing;
using Bundler.Loader.Format;

namespace Bundler.Core.Resolution;

/// <summary>
/// Turns a resolved package whose archive has been downloaded into what the bundle writer takes. NuGet packages are
/// laid out as a global packages folder, so a loaded bundle restores offline.
/// </summary>
internal static class ResolvedPackageInput
{
    /// <param name="package">The resolved package.</param>
    /// <param name="archivePath">Its archive on disk.</param>
    /// <param name="verifiedIntegrity">The integrity the download engine verified the archive against, if it was downloaded.</param>
    public static PackageInput From(ResolvedPackage package, string archivePath, string? verifiedIntegrity) => new()
    {
        Id = package.Id,
        Version = package.Version,
        ArchivePath = archivePath,
        ArchiveName = NameOf(package.ArchiveUrl),
        Source = package.Source,
        Url = package.ArchiveUrl.IsFile ? null : package.ArchiveUrl.AbsoluteUri,
        KeepArchive = package.KeepArchive,
        Include = package.Include,
        Exclude = package.Exclude,
        NuGetLayout = package.SourceKind is SourceKind.NuGet or SourceKind.Project,
        VerifiedSha512 = verifiedIntegrity is not null && verifiedIntegrity.StartsWith("sha512-", StringComparison.Ordinal) ? verifiedIntegrity : null,
    };

    /// <summary>
    /// <see cref="From(ResolvedPackage, string, string?)"/>, except that an archive whose URL file name another package
    /// of the set shares (<paramref name="sharedNames"/>) keeps its cache name, which is its hash: a publish folder
    /// holds every archive in one <c>files/</c> folder.
    /// </summary>
    public static PackageInput From(ResolvedPackage package, string archivePath, string? verifiedIntegrity, IReadOnlySet<string> sharedNames)
    {
        var input = From(package, archivePath, verifiedIntegrity);
        return sharedNames.Contains(input.EffectiveArchiveName) ? input with { ArchiveName = null } : input;
    }

    /// <summary>The archive file names (compared ignoring case) that several packages of the set would have; known before any download.</summary>
    public static IReadOnlySet<string> SharedArchiveNames(IEnumerable<ResolvedPackage> packages) => packages
        .Select(p => NameOf(p.ArchiveUrl) ?? (p.ArchiveUrl.IsFile ? Path.GetFileName(p.ArchiveUrl.LocalPath) : null))
        .OfType<string>()
        .GroupBy(name => name, StringComparer.OrdinalIgnoreCase)
        .Where(g => g.Count() > 1)
        .Select(g => g.Key)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The URL's last segment when it is a usable file name (downloaded archives sit in the cache under their hash).</summary>
    private static string? NameOf(Uri url)
    {
        var name = Uri.UnescapeDataString(url.Segments[^1]);
        return PublishLayout.ArchiveNameProblem(name) is null ? name : null;
    }
}
