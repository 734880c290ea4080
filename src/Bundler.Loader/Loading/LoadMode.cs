namespace Bundler.Loader.Loading;

/// <summary>How <see cref="PackageLoader"/> fetches a publish folder.</summary>
public enum LoadMode
{
    /// <summary>One GET of the bundle, unpacked while it streams in: network, zstd, tar and files overlap.</summary>
    Bundle,

    /// <summary><c>manifest.json</c>, then every original archive in parallel, each extracted as soon as it has arrived.</summary>
    Files,

    /// <summary>The bundle's frames by parallel HTTP Range requests, adjacent frames coalesced into bounded requests.</summary>
    Ranges,
}
