using Bundler.Loader.Format;

namespace Bundler.Core.Writing;

/// <summary>One package to bundle: its identity and the archive on disk it comes from.</summary>
public sealed record PackageInput
{
    /// <summary>The package id (one path segment, or <c>@scope/name</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The exact version (one path segment).</summary>
    public required string Version { get; init; }

    /// <summary>Path of the archive: .nupkg, .zip, .whl, .tar, .tgz/.tar.gz, .tar.xz, .tar.bz2 or .tar.zst.</summary>
    public required string ArchivePath { get; init; }

    /// <summary>
    /// The archive's file name in the manifest, the publish folder and (kept whole) the package; default the file name
    /// of <see cref="ArchivePath"/>. Set it when that path is a cache entry named by its hash.
    /// </summary>
    public string? ArchiveName { get; init; }

    /// <summary>Name of the source the package came from, recorded in the manifest.</summary>
    public string Source { get; init; } = "folder";

    /// <summary>Where the archive was fetched from, recorded in the manifest.</summary>
    public string? Url { get; init; }

    internal string EffectiveArchiveName => ArchiveName ?? Path.GetFileName(ArchivePath);

    /// <summary>Store the archive whole (it becomes the package's one file) instead of extracting it.</summary>
    public bool KeepArchive { get; init; }

    /// <summary>Globs of archive paths to include; none means all files.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Globs of archive paths to leave out.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>
    /// Lay the package out as NuGet's global packages folder does, so that <c>dotnet restore --packages</c> accepts the
    /// loaded tree: lower-case id and normalized version folders, the nuspec as <c>&lt;id&gt;.nuspec</c>,
    /// <c>&lt;id&gt;.&lt;version&gt;.nupkg.sha512</c> and <c>.nupkg.metadata</c>, without the zip's packaging parts.
    /// </summary>
    public bool NuGetLayout { get; init; }

    /// <summary>
    /// The archive's <c>sha512-</c> integrity when the download engine has already verified it (a file of the content
    /// cache, which is never changed); the writer hashes the archive itself when null.
    /// </summary>
    internal string? VerifiedSha512 { get; init; }

    internal string Folder => Id + "/" + Version;
}
