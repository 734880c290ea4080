using Bundler.Core.Download;

namespace Bundler.Core.Pipeline;

/// <summary>How <see cref="PackageSetPacker"/> resolves, downloads and writes a package set.</summary>
internal sealed record PackageSetPackOptions
{
    /// <summary>Fail, changing nothing, when bundle.lock.json is missing or resolving would change it.</summary>
    public bool Locked { get; init; }

    public DownloadOptions Download { get; init; } = new();

    /// <summary>Receives download progress snapshots (also from <see cref="PackageSetPacker.PackAsync"/> when <see cref="PackProgress"/> is not set).</summary>
    public IProgress<DownloadProgress>? Progress { get; init; }

    /// <summary>Receives snapshots of the whole pack, downloads and writing together (<see cref="PackageSetPacker.PackAsync"/>).</summary>
    public IProgress<PackProgress>? PackProgress { get; init; }

    /// <summary>
    /// Packages whose archives are already at hand (a project's folder items), which <see cref="PackageSetPacker.PackAsync"/>
    /// hands the writer with the set's own, first.
    /// </summary>
    public IReadOnlyList<Writing.PackageInput> AlsoWrite { get; init; } = [];
}
