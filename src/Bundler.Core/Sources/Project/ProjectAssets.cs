using System.Text.Json;
using NuGet.Versioning;
using Bundler.Loader;

namespace Bundler.Core.Sources.Project;

/// <summary>
/// Reads a <c>project.assets.json</c>: the packages of its <c>libraries</c> (type <c>package</c>), the
/// <c>downloadDependencies</c> of each target framework (PackageDownload: targeting packs and the like, which restore
/// downloads but does not list as libraries) and the package folders restore used, the global one first.
/// </summary>
internal sealed record ProjectAssets(string Path, IReadOnlyList<RestoredPackage> Packages, IReadOnlyList<string> PackageFolders)
{
    public static ProjectAssets Read(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is JsonException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BundleException($"'{path}', which restore should have written, cannot be read ({ex.Message}); restore the project again.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            var direct = DirectDependencies(root);
            var packages = new List<RestoredPackage>();
            foreach (var library in Members(root, "libraries"))
            {
                if (library.Value.TryGetProperty("type", out var type) && type.GetString() == "package")
                {
                    var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
                    var id = library.Name[..Math.Max(slash, 0)];
                    var version = Version(library.Name[(slash + 1)..], path, library.Name);
                    packages.Add(new RestoredPackage(id, version, direct.Contains(id)));
                }
            }

            foreach (var framework in Members(Child(root, "project"), "frameworks"))
            {
                if (framework.Value.TryGetProperty("downloadDependencies", out var downloads))
                {
                    foreach (var download in downloads.EnumerateArray())
                    {
                        var id = download.GetProperty("name").GetString()!;
                        var range = download.GetProperty("version").GetString()!;
                        var version = VersionRange.TryParse(range, out var parsed) && parsed.MinVersion is { } min && parsed.IsMinInclusive
                            ? min
                            : throw new BundleException($"{path}: PackageDownload '{id}' has version '{range}'; restore downloads exact versions only ([1.2.3]).");
                        packages.Add(new RestoredPackage(id, version, Direct: true));
                    }
                }
            }

            var folders = Members(root, "packageFolders").Select(f => f.Name).ToList();
            return new ProjectAssets(path, packages, folders);
        }
    }

    private static HashSet<string> DirectDependencies(JsonElement root) =>
        Members(Child(root, "project"), "frameworks")
            .SelectMany(f => Members(f.Value, "dependencies"))
            .Select(d => d.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static NuGetVersion Version(string text, string path, string library) =>
        NuGetVersion.TryParse(text, out var version) ? version : throw new BundleException($"{path}: library '{library}' has no valid version; restore the project again.");

    private static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static List<JsonProperty> Members(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.Object } child ? [.. child.EnumerateObject()] : [];
}
