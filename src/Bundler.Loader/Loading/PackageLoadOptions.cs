using System.Security.Cryptography.X509Certificates;
using Bundler.Loader.Format;
using Bundler.Loader.Http;
using Bundler.Loader.Trust;

namespace Bundler.Loader.Loading;

/// <summary>Options for <see cref="PackageLoader.LoadAsync"/>.</summary>
public sealed record PackageLoadOptions
{
    /// <summary>How to fetch. Default <see cref="LoadMode.Bundle"/>.</summary>
    public LoadMode Mode { get; init; } = LoadMode.Bundle;

    /// <summary>Ids (or <c>id/version</c> folders), compared ignoring case, of the packages to load; null or empty for all.</summary>
    public IReadOnlyCollection<string>? Packages { get; init; }

    /// <summary>
    /// The client for HTTP(S) locations; the caller keeps ownership. When null the loader creates one pooled client
    /// (no automatic decompression) for the load, and can then also count the connections it opened.
    /// </summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Most requests in flight at once (files and ranges modes). Default 6.</summary>
    public int MaxConcurrentRequests { get; init; } = 6;

    /// <summary>Most compressed bytes one Range request asks for; adjacent frames are coalesced up to this. Default 4 MiB.</summary>
    public long MaxRangeRequestSize { get; init; } = 4L * 1024 * 1024;

    /// <summary>
    /// How long a response may send nothing (its headers, or the next bytes of its body) before it counts as broken:
    /// the request is sent again, or the body resumed from the byte it stopped at. Default 30 s.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The slowest a response body may arrive before it counts as broken and is resumed, as a stalled one is. Default
    /// <see cref="MinimumTransferRate.Default"/> (1 KiB/s over 30 s); <see cref="MinimumTransferRate.None"/> turns it off.
    /// </summary>
    public MinimumTransferRate MinimumRate { get; init; } = MinimumTransferRate.Default;

    /// <summary>
    /// Follow a redirect from a public or private address into a private or local one (loopback, link-local such as
    /// the cloud metadata endpoint, 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7). Default false: such a redirect is
    /// refused; a URL that names a private or local address directly is always allowed. Applies to the client the
    /// loader makes, not to <see cref="HttpClient"/>.
    /// </summary>
    public bool AllowPrivateNetworkRedirects { get; init; }

    /// <summary>
    /// Hash every file of the packages an update keeps against the new manifest before keeping it. Default false:
    /// a kept file must have the size, permission bits and last write time the load record gives, and the package
    /// folder no other files; a package whose copy does not match is fetched again, with a warning naming the file.
    /// </summary>
    public bool VerifyLocal { get; init; }

    /// <summary>
    /// One HTTPS server certificate to trust beside the machine's roots, such as the one <c>serve --tls</c> makes: a
    /// server that presents exactly this certificate (within its validity, for the host asked for) is accepted even
    /// though no root vouches for it. Default null: only the machine's roots. Never a way to accept any certificate.
    /// Applies to the client the loader makes, not to <see cref="HttpClient"/>.
    /// </summary>
    public X509Certificate2? TrustedServerCertificate { get; init; }

    /// <summary>Bounds against hostile bundles and archives.</summary>
    public BundleLimits Limits { get; init; } = BundleLimits.Default;

    /// <summary>
    /// The integrity the bundle's manifest must have, as <c>pack</c> reports it (<c>sha256-</c>, <c>sha384-</c> or
    /// <c>sha512-</c> and the Base64 of the digest); null accepts any. A bundle or <c>manifest.json</c> with another
    /// manifest is refused in every mode before anything is written, so the application loads exactly what its build
    /// produced.
    /// </summary>
    public string? ExpectedIntegrity { get; init; }

    /// <summary>
    /// PEM public keys (<c>-----BEGIN PUBLIC KEY-----</c>, ECDSA P-256); when any is given, only a manifest with a valid
    /// signature by one of them (its <c>.sig</c> file beside it) is accepted. Several keys allow rotation. Null or
    /// empty for none.
    /// </summary>
    public IReadOnlyCollection<string>? TrustedKeys { get; init; }

    /// <summary>The trust of <see cref="ExpectedIntegrity"/> and <see cref="TrustedKeys"/>; throws <see cref="ArgumentException"/> naming the property for a bad value.</summary>
    internal ManifestTrust? CreateTrust() => ManifestTrust.Create(ExpectedIntegrity, TrustedKeys, nameof(ExpectedIntegrity), nameof(TrustedKeys));

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/>, naming the property, for a value out of range.</summary>
    internal void Validate()
    {
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Use Bundle, Files or Ranges.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentRequests, 1, nameof(MaxConcurrentRequests));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRangeRequestSize, 1, nameof(MaxRangeRequestSize));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StallTimeout, TimeSpan.Zero, nameof(StallTimeout));
        ArgumentNullException.ThrowIfNull(MinimumRate, nameof(MinimumRate));
        MinimumRate.Validate(nameof(MinimumRate));
    }
}
