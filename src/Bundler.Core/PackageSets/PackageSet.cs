using Bundler.Core.Download;

namespace Bundler.Core.PackageSets;

/// <summary>A parsed and validated bundle.json.</summary>
internal sealed record PackageSet
{
    /// <summary>The absolute path of the bundle.json.</summary>
    public required string FilePath { get; init; }

    /// <summary>sha256 of the file's bytes, which the lock file records to notice edits.</summary>
    public required string ContentHash { get; init; }

    public required IReadOnlyDictionary<string, SourceSpec> Sources { get; init; }

    public required IReadOnlyList<PackageRequest> Packages { get; init; }

    /// <summary>bundle.lock.json beside the bundle.json.</summary>
    public string LockFilePath => Path.Combine(Path.GetDirectoryName(FilePath)!, "bundle.lock.json");

    /// <summary>
    /// Where <c>pack</c> writes the integrity of the bundle it made from this set, beside the lock file, for pipelines
    /// that pin it into an application.
    /// </summary>
    public static string IntegrityFilePathOf(string bundleJsonPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(bundleJsonPath))!, "bundle.integrity");

    /// <summary>The set of <c>pack --project</c>: one project source taking every package restore gives, with no bundle.json (and so no bundle.lock.json).</summary>
    public static PackageSet ForProject(string projectPath)
    {
        var path = Path.GetFullPath(projectPath);
        const string name = "project";
        return new PackageSet
        {
            FilePath = path,
            ContentHash = "",
            Sources = new Dictionary<string, SourceSpec>(StringComparer.Ordinal) { [name] = new SourceSpec { Name = name, Kind = SourceKind.Project, ProjectPath = path } },
            Packages = [],
        };
    }
}
