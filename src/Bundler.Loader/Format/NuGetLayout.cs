namespace Bundler.Loader.Format;

/// <summary>
/// The NuGet global-packages-folder layout of a package (<c>layout: "nuget"</c>), as restore accepts it:
/// <c>&lt;id&gt;/&lt;version&gt;/</c> in lower case with the version normalized, the package's files without the zip's
/// packaging parts (<c>[Content_Types].xml</c>, <c>_rels/</c>, <c>package/services/metadata/</c>), the nuspec as
/// <c>&lt;id&gt;.nuspec</c>, and two generated files: <c>&lt;id&gt;.&lt;version&gt;.nupkg.sha512</c> (the Base64 SHA-512 of
/// the .nupkg) and <c>.nupkg.metadata</c> (its content hash as JSON: a signed package's
/// <see cref="ArchiveInfo.ContentHash"/>, else the .nupkg's SHA-512). Writer and loaders derive them from here.
/// </summary>
internal static class NuGetLayout
{
    public const string Name = "nuget";
    public const string Sha512File = "nupkg.sha512";
    public const string MetadataFile = "nupkg.metadata";

    /// <summary>True for the zip's packaging parts, which NuGet leaves out when it extracts a package.</summary>
    public static bool IsPackagingFile(string path) =>
        path.Equals("[Content_Types].xml", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("_rels/", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("package/services/metadata/", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the nuspec at the root of the package.</summary>
    public static bool IsNuspec(string path) => !path.Contains('/', StringComparison.Ordinal) && path.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase);

    public static string NuspecPath(string id) => id + ".nuspec";

    /// <summary>The path of a generated file of kind <paramref name="generated"/>.</summary>
    public static string GeneratedPath(string generated, string id, string version) => generated switch
    {
        Sha512File => $"{id}.{version}.nupkg.sha512",
        MetadataFile => ".nupkg.metadata",
        _ => throw new BundleException($"Unknown generated file kind '{generated}'."),
    };

    /// <summary>The bytes of a generated file, from the .nupkg's <c>sha512-</c> integrity and, when it is signed, its content hash.</summary>
    public static byte[] GeneratedContent(string generated, string integrity, string? contentHash) => generated switch
    {
        Sha512File => System.Text.Encoding.ASCII.GetBytes(Sha512Of(integrity, "integrity")),
        MetadataFile => System.Text.Encoding.UTF8.GetBytes($"{{\n  \"version\": 2,\n  \"contentHash\": \"{Sha512Of(contentHash ?? integrity, "content hash")}\",\n  \"source\": null\n}}"),
        _ => throw new BundleException($"Unknown generated file kind '{generated}'."),
    };

    private static string Sha512Of(string sri, string what)
    {
        const string prefix = "sha512-";
        return sri.StartsWith(prefix, StringComparison.Ordinal)
            ? sri[prefix.Length..]
            : throw new BundleException($"A NuGet-layout package needs a sha512 {what} for its .nupkg; the manifest has '{sri}'.");
    }
}
