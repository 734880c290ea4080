using System.Security.Cryptography;

namespace Bundler.Loader.Format;

/// <summary>
/// The names inside a publish location, the layout <c>pack --publish</c> writes and every load mode reads
/// (docs/FORMAT.md §12): immutable objects named by their content digest, <c>FOLDER/&lt;algorithm&gt;-&lt;hex&gt;/NAME</c>,
/// and one mutable entry point, <c>index.json</c>, written last, that names the current bundle, its manifest and
/// its signature. Folders written before the entry point existed hold <c>packages.tar.zst</c>, <c>manifest.json</c>
/// and <c>files/&lt;archive name&gt;</c> (the legacy names), which loaders still read.
/// </summary>
internal static class PublishLayout
{
    /// <summary>The mutable entry point (<see cref="PublishIndex"/>).</summary>
    public const string IndexFileName = "index.json";

    public const string BundleFileName = "packages.tar.zst";
    public const string ManifestFileName = "manifest.json";
    public const string SignatureFileName = "manifest.json.sig";
    public const string BundlesFolder = "bundles";
    public const string ManifestsFolder = "manifests";
    public const string SignaturesFolder = "signatures";
    public const string FilesFolder = "files";

    /// <summary>
    /// The bundle's integrity as one line of text, for pipelines that pin it into an application. Loaders never read
    /// it: a pin served by the same host as the bundle would prove nothing.
    /// </summary>
    public const string IntegrityFileName = "integrity.txt";

    /// <summary>
    /// The file that marks a folder as one <c>pack --publish</c> wrote, so that a later publish may write to it; a
    /// folder without it is never written to (it may be a web app's, with a manifest.json of its own).
    /// </summary>
    public const string MarkerFileName = ".bundler-publish";

    /// <summary>
    /// The name of an immutable object: <c>FOLDER/&lt;algorithm&gt;-&lt;lower-case hex digest&gt;/FILENAME</c>, the
    /// digest being <paramref name="integrity"/> (an SRI string) of the object's bytes.
    /// </summary>
    public static string ObjectPath(string folder, string integrity, string fileName)
    {
        if (!SubresourceIntegrity.TryParse(integrity, out var algorithm, out var digest))
        {
            throw new BundleException($"'{integrity}' is not a sha256/sha384/sha512 SRI string, so the object '{fileName}' has no name in the publish location.");
        }

        return $"{folder}/{algorithm.Name!.ToLowerInvariant()}-{Convert.ToHexStringLower(digest)}/{fileName}";
    }

    /// <summary>The object name of a bundle whose file has SHA-256 <paramref name="sha256"/>.</summary>
    public static string BundlePath(byte[] sha256) => ObjectPath(BundlesFolder, SubresourceIntegrity.Format(HashAlgorithmName.SHA256, sha256), BundleFileName);

    /// <summary>The object name of the manifest JSON of integrity <paramref name="integrity"/> (the bundle's integrity, §13.1).</summary>
    public static string ManifestPath(string integrity) => ObjectPath(ManifestsFolder, integrity, ManifestFileName);

    /// <summary>The object name of a signature file whose bytes have SHA-256 <paramref name="sha256"/>.</summary>
    public static string SignaturePath(byte[] sha256) => ObjectPath(SignaturesFolder, SubresourceIntegrity.Format(HashAlgorithmName.SHA256, sha256), SignatureFileName);

    /// <summary>The object name of a package's original archive: its digest from the manifest, then its name.</summary>
    public static string ArchivePath(PackageEntry package) => ObjectPath(FilesFolder, package.Archive.Integrity, package.Archive.Name);

    /// <summary>Where a folder written before <see cref="IndexFileName"/> existed holds a package's archive.</summary>
    public static string LegacyArchivePath(PackageEntry package) => FilesFolder + "/" + package.Archive.Name;

    /// <summary>Why an archive name cannot be served as the last segment of its object name, or null when it can.</summary>
    public static string? ArchiveNameProblem(string name) =>
        name.Contains('/', StringComparison.Ordinal) ? "it is not a single file name" : EntryPath.Problem(name, 255);
}
