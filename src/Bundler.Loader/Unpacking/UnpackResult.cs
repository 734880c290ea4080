using Bundler.Loader.Format;

namespace Bundler.Loader.Unpacking;

/// <summary>What an unpack or verify pass read and checked.</summary>
public sealed record UnpackResult
{
    /// <summary>The bundle's manifest.</summary>
    public required Manifest Manifest { get; init; }

    /// <summary>Number of files written (or, for verify, checked).</summary>
    public required long FileCount { get; init; }

    /// <summary>Bytes of file content written or checked.</summary>
    public required long FileBytes { get; init; }

    /// <summary>Bytes of the bundle read: manifest frame and payload.</summary>
    public required long BundleBytes { get; init; }
}
