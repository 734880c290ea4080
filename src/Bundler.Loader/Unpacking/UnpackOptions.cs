using Bundler.Loader.Format;

namespace Bundler.Loader.Unpacking;

/// <summary>Options for <see cref="BundleReader.UnpackAsync"/>.</summary>
public sealed record UnpackOptions
{
    /// <summary>Bounds against hostile bundles.</summary>
    public BundleLimits Limits { get; init; } = BundleLimits.Default;
}
