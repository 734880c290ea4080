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
}
