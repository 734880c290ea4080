using Bundler.Core.PackageSets;

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
        Source = package.Source,
        Url = package.ArchiveUrl.IsFile ? null : package.ArchiveUrl.AbsoluteUri,
        KeepArchive = package.KeepArchive,
        Include = package.Include,
        Exclude = package.Exclude,
        NuGetLayout = package.SourceKind == SourceKind.NuGet,
        VerifiedSha512 = verifiedIntegrity is not null && verifiedIntegrity.StartsWith("sha512-", StringComparison.Ordinal) ? verifiedIntegrity : null,
    };
}
