using Bundler.Core.PackageSets;

namespace Bundler.Core.Resolution;

/// <summary>
/// Turns a resolved package whose archive has been downloaded into what the bundle writer takes. NuGet packages are
/// laid out as a global packages folder, so a loaded bundle restores offline.
/// </summary>
internal static class ResolvedPackageInput
{
    public static PackageInput From(ResolvedPackage package, string archivePath) => new()
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
    };
}
