using System.Threading.Channels;
using Bundler.Loader.Format;
using Bundler.Loader.Loading;

namespace Bundler.Loader.Unpacking;

/// <summary>
/// Reads bundles in one forward-only pass over any stream (a file, a network response): the manifest first, then
/// every frame, decompressed on several cores while the next bytes arrive, then the tar entries, each file checked
/// against the manifest's size and sha256 before the tree is moved into place.
/// </summary>
public static class BundleReader
{
    /// <summary>Reads and validates only the manifest at the head of <paramref name="bundle"/>.</summary>
    public static async Task<Manifest> ReadManifestAsync(Stream bundle, BundleLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var (manifest, _) = await ManifestFrame.ReadAsync(bundle, limits ?? BundleLimits.Default, cancellationToken);
        return manifest;
    }

    /// <summary>
    /// Reads and validates the manifest at the head of <paramref name="bundle"/> and returns the bundle's integrity, as
    /// <c>pack</c> reports it: <c>sha256-</c> and the Base64 of the SHA-256 of the manifest JSON.
    /// </summary>
    public static async Task<string> ReadIntegrityAsync(Stream bundle, BundleLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var (_, _, json) = await ManifestFrame.ReadWithJsonAsync(bundle, limits ?? BundleLimits.Default, trust: null, cancellationToken);
        return Trust.ManifestIntegrity.Compute(json);
    }

    /// <summary>
    /// Unpacks every package of <paramref name="bundle"/> into <c>targetDirectory/&lt;id&gt;/&lt;version&gt;/</c>.
    /// The tree is staged beside the target and moved into place only when every file has been verified; on any
    /// error or cancellation the target is left as it was.
    /// </summary>
    public static async Task<UnpackResult> UnpackAsync(Stream bundle, string targetDirectory, UnpackOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentException.ThrowIfNullOrEmpty(targetDirectory);
        options ??= new UnpackOptions();
        var (manifest, payloadOffset) = await ManifestFrame.ReadAsync(bundle, options.Limits, options.CreateTrust(), cancellationToken);
        using var staging = TreeStaging.Create(targetDirectory, cancellationToken);
        var result = await ReadPayloadAsync(bundle, manifest, payloadOffset, staging.Root, cancellationToken);
        staging.Commit(manifest.Packages.Select(p => p.Folder), cancellationToken);
        return result;
    }

    /// <summary>Reads the whole bundle and checks every frame, tar entry and file hash without writing anything.</summary>
    public static Task<UnpackResult> VerifyAsync(Stream bundle, BundleLimits? limits = null, CancellationToken cancellationToken = default) =>
        VerifyAsync(bundle, new UnpackOptions { Limits = limits ?? BundleLimits.Default }, cancellationToken);

    /// <summary>Verifies the bundle as <see cref="VerifyAsync(Stream, BundleLimits?, CancellationToken)"/> does, with the limits and the pinned integrity or trusted keys of <paramref name="options"/>.</summary>
    public static async Task<UnpackResult> VerifyAsync(Stream bundle, UnpackOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(options);
        var (manifest, payloadOffset) = await ManifestFrame.ReadAsync(bundle, options.Limits, options.CreateTrust(), cancellationToken);
        return await ReadPayloadAsync(bundle, manifest, payloadOffset, root: null, cancellationToken);
    }

    /// <summary>Reads the payload of a forward-only bundle stream, writing (or only checking) <paramref name="packages"/>.</summary>
    internal static Task<UnpackResult> ReadPayloadAsync(Stream bundle, Manifest manifest, long payloadOffset, IReadOnlyList<PackageEntry> packages, string? root, CancellationToken cancellationToken)
    {
        var wanted = packages.Count == manifest.Packages.Count ? null : PackageSelection.FramesOf(manifest, packages);
        return ConsumeAsync(
            FrameProducer.CreateChannel(),
            (writer, token) => FrameProducer.RunAsync(bundle, manifest.Frames, wanted, writer, token),
            manifest,
            packages,
            root,
            payloadOffset + manifest.PayloadSize,
            cancellationToken);
    }

    private static Task<UnpackResult> ReadPayloadAsync(Stream bundle, Manifest manifest, long payloadOffset, string? root, CancellationToken cancellationToken) =>
        ReadPayloadAsync(bundle, manifest, payloadOffset, manifest.Packages, root, cancellationToken);

    /// <summary>
    /// Runs <paramref name="produce"/>, which fills the channel with decoded frame batches in frame order, and walks
    /// the tar stream they make against the manifest. The consumer's error is the one reported.
    /// </summary>
    private static async Task<UnpackResult> ConsumeAsync(
        Channel<Task<DecodedFrame[]>> channel,
        Func<ChannelWriter<Task<DecodedFrame[]>>, CancellationToken, Task> produce,
        Manifest manifest,
        IReadOnlyList<PackageEntry> packages,
        string? root,
        long bundleBytes,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => produce(channel.Writer, stop.Token), stop.Token);
        await using var tar = new DecodedFrameStream(channel.Reader);
        var reader = new TarPayloadReader(tar, manifest, packages, root);
        try
        {
            await reader.ReadAsync(stop.Token);
            await producer;
        }
        catch
        {
            // A truncated or corrupt stream reaches the consumer through the channel, so its error names the problem.
            await stop.CancelAsync();
            await Task.WhenAny(producer);
            _ = producer.Exception;
            await tar.DrainAsync();
            throw;
        }

        return new UnpackResult
        {
            Manifest = manifest,
            // Every file of these packages was read, checked and written, or the reader threw.
            FileCount = packages.Sum(p => (long)p.Files.Count),
            FileBytes = packages.Sum(p => p.Files.Sum(f => f.Size)),
            BundleBytes = bundleBytes,
        };
    }
}
