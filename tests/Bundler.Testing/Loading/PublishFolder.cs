using Bundler.Loader.Format;

namespace Bundler.Testing.Loading;

/// <summary>The files of a publish folder as its <c>index.json</c> names them, for tests that read or tamper with them.</summary>
public static class PublishFolder
{
    internal static PublishIndex Index(string folder) => PublishIndex.Parse(File.ReadAllBytes(Path.Combine(folder, PublishLayout.IndexFileName)));

    public static string BundleName(string folder) => Index(folder).Bundle;

    public static string ManifestName(string folder) => Index(folder).Manifest;

    public static string SignatureName(string folder) => Index(folder).Signature ?? throw new InvalidOperationException("The publish is not signed.");

    public static string BundlePath(string folder) => Path.Combine(folder, BundleName(folder));

    public static string ManifestPath(string folder) => Path.Combine(folder, ManifestName(folder));

    public static string SignaturePath(string folder) => Path.Combine(folder, SignatureName(folder));

    /// <summary>The object name of the archive called <paramref name="fileName"/> (<c>files/&lt;digest&gt;/&lt;fileName&gt;</c>).</summary>
    public static string ArchiveName(string folder, string fileName)
    {
        var manifest = ManifestJson.Deserialize(File.ReadAllBytes(ManifestPath(folder)));
        return PublishLayout.ArchivePath(manifest.Packages.Single(p => p.Archive.Name == fileName));
    }

    public static string ArchivePath(string folder, string fileName) => Path.Combine(folder, ArchiveName(folder, fileName));
}
