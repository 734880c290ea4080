using Bundler.Loader.Http;
using Bundler.Loader.Loading;
using Bundler.Serving;
using Bundler.Serving.Network;

namespace Bundler.Comparison;

/// <summary>What <see cref="ComparisonRunner"/> measures: every mode, under every network, over every protocol, N times.</summary>
internal sealed record ComparisonOptions
{
    public required IReadOnlyList<NetworkProfile> Networks { get; init; }

    public required IReadOnlyList<ServeProtocols> Protocols { get; init; }

    public required IReadOnlyList<LoadMode> Modes { get; init; }

    public int Runs { get; init; } = 3;

    /// <summary>
    /// Who loads: the .NET loader, and/or the browser loader in a new headless Chromium per run (its modes are bundle
    /// and files; browsers speak HTTP/2 only over TLS, so with <see cref="Tls"/> only).
    /// </summary>
    public IReadOnlyList<ComparisonClient> Clients { get; init; } = [ComparisonClient.DotNet];

    /// <summary>Serve over HTTPS (a certificate made for the run, which the loads trust) instead of cleartext HTTP and h2c.</summary>
    public bool Tls { get; init; }

    /// <summary>
    /// A publish folder of the set as it was before: each mode also runs as an update, loading into a target that holds
    /// a load of this folder (made from the local folder, unmeasured), named <c>MODE update</c>.
    /// </summary>
    public string? UpdateFrom { get; init; }

    /// <summary>The loads' <see cref="PackageLoadOptions.MinimumRate"/>.</summary>
    public MinimumTransferRate MinimumRate { get; init; } = MinimumTransferRate.Default;
}
