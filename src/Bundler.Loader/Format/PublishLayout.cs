namespace Bundler.Loader.Format;

/// <summary>
/// The names inside a publish folder, the layout <c>pack --publish</c> writes and every load mode reads:
/// <c>packages.tar.zst</c> (the bundle), <c>manifest.json</c> (its manifest, the same compact JSON) and
/// <c>files/&lt;archive name&gt;</c> (the original archives).
/// </summary>
internal static class PublishLayout
{
    public const string BundleFileName = "packages.tar.zst";
    public const string ManifestFileName = "manifest.json";
    public const string FilesFolder = "files";

    /// <summary>
    /// The bundle's integrity as one line of text, for pipelines that pin it into an application. Loaders never read
    /// it: a pin served by the same host as the bundle would prove nothing.
    /// </summary>
    public const string IntegrityFileName = "integrity.txt";

    /// <summary>
    /// The file that marks a folder as one <c>pack --publish</c> wrote, so that a later publish may replace it; a
    /// folder without it is never replaced (it may be a web app's, with a manifest.json of its own).
    /// </summary>
    public const string MarkerFileName = ".bundler-publish";

    public static string ArchivePath(PackageEntry package) => FilesFolder + "/" + package.Archive.Name;

    /// <summary>Why an archive name cannot be served from <c>files/</c>, or null when it can.</summary>
    public static string? ArchiveNameProblem(string name) =>
        name.Contains('/', StringComparison.Ordinal) ? "it is not a single file name" : EntryPath.Problem(name, 255);
}
