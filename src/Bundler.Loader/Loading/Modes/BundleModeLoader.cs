using Bundler.Loader.Format;
using Bundler.Loader.IO;
using Bundler.Loader.Loading.Sources;
using Bundler.Loader.Loading.Updates;
using Bundler.Loader.Trust;
using Bundler.Loader.Unpacking;

namespace Bundler.Loader.Loading.Modes;

/// <summary>Bundle mode: one GET of the bundle, unpacked as it streams in, with no temporary copy.</summary>
internal static class BundleModeLoader
{
    /// <summary>How much of a remote bundle may be read ahead of the unpacking (a few frames).</summary>
    private const int ReadAheadLimit = 8 * 1024 * 1024;

    public static async Task LoadAsync(LoadSource source, PublishEntry entry, string target, PackageLoadOptions options, ManifestTrust? trust, LoadUpdate update, CancellationToken cancellationToken)
    {
        trust = await LoadTrust.ForAsync(trust, source, entry.BundleSignatureName, entry.BundleName, cancellationToken);
        var body = await source.OpenAsync(entry.BundleName, cancellationToken);
        await using var stream = source.IsRemote ? new ReadAheadStream(body, ReadAheadLimit) : body;
        await UnpackAsync(stream, source.Describe(entry.BundleName), target, options, trust, update, cancellationToken);
    }

    /// <summary>
    /// Reads the manifest and the payload from <paramref name="bundle"/>, positioned at its first byte, decoding only
    /// the frames of the packages to fetch and reading past the rest.
    /// </summary>
    public static async Task UnpackAsync(Stream bundle, string where, string target, PackageLoadOptions options, ManifestTrust? trust, LoadUpdate update, CancellationToken cancellationToken)
    {
        try
        {
            var (manifest, payloadOffset) = await ManifestFrame.ReadAsync(bundle, options.Limits, trust, cancellationToken);
            var plan = update.Decide(manifest, where, payloadOffset + manifest.PayloadSize, cancellationToken);
            using var staging = TreeStaging.Create(target, cancellationToken);
            if (plan.Fetch.Count > 0)
            {
                await BundleReader.ReadPayloadAsync(bundle, manifest, payloadOffset, plan.Fetch, staging.Root, cancellationToken);
            }

            update.Commit(staging, payloadOffset, cancellationToken);
        }
        catch (BundleException ex) when (!ex.Message.Contains(where, StringComparison.Ordinal))
        {
            throw new BundleException($"{where}: {ex.Message}", ex);
        }
    }
}
