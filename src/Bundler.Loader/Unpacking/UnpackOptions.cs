using Bundler.Loader.Format;
using Bundler.Loader.Trust;

namespace Bundler.Loader.Unpacking;

/// <summary>Options for <see cref="BundleReader.UnpackAsync"/> and <see cref="BundleReader.VerifyAsync(Stream, UnpackOptions, CancellationToken)"/>.</summary>
public sealed record UnpackOptions
{
    /// <summary>Bounds against hostile bundles.</summary>
    public BundleLimits Limits { get; init; } = BundleLimits.Default;

    /// <summary>The integrity the bundle's manifest must have (as <c>pack</c> reports it); null accepts any. See <see cref="Loading.PackageLoadOptions.ExpectedIntegrity"/>.</summary>
    public string? ExpectedIntegrity { get; init; }

    /// <summary>PEM public keys (ECDSA P-256) of which one must have signed the manifest; null or empty for none. See <see cref="Loading.PackageLoadOptions.TrustedKeys"/>.</summary>
    public IReadOnlyCollection<string>? TrustedKeys { get; init; }

    /// <summary>The bytes of the bundle's signature file (<c>&lt;bundle&gt;.sig</c>), needed when <see cref="TrustedKeys"/> are given.</summary>
    public byte[]? Signature { get; init; }

    /// <summary>The trust these options ask for; throws <see cref="ArgumentException"/> naming the property for a bad value.</summary>
    internal ManifestTrust? CreateTrust()
    {
        var trust = ManifestTrust.Create(ExpectedIntegrity, TrustedKeys, nameof(ExpectedIntegrity), nameof(TrustedKeys));
        if (trust is { NeedsSignature: true })
        {
            return trust.WithSignature(Signature ?? throw new ArgumentException("Give the bundle's signature file when trusted keys are given.", nameof(Signature)), "<bundle>" + ManifestSignatureFile.Extension);
        }

        return trust;
    }
}
