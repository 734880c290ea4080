using System.Buffers.Binary;
using Bundler.Loader.Format;
using Bundler.Loader.IO;
using Bundler.Loader.Loading.Sources;
using Bundler.Loader.Loading.Updates;
using Bundler.Loader.Trust;
using Bundler.Loader.Unpacking;

namespace Bundler.Loader.Loading.Modes;

/// <summary>
/// Ranges mode: the manifest from the head of the bundle, then the wanted frames by parallel single-range requests
/// (<see cref="FrameGroup"/>), each run decoded on the thread pool as soon as it arrives; the packages are unpacked in
/// shares (<see cref="RangeShare"/>) in whatever order their runs arrive. A server that answers the first Range request with the whole file (200) is read as bundle
/// mode from that very response, so the bundle is never downloaded twice.
/// </summary>
internal static class RangesModeLoader
{
    private const int HeadSize = 64 * 1024;

    /// <summary>Loads the packages to fetch by range; returns the mode they were loaded in (bundle when the server ignored Range).</summary>
    public static async Task<LoadMode> LoadAsync(LoadSource source, PublishEntry entry, string target, PackageLoadOptions options, ManifestTrust? trust, LoadUpdate update, CancellationToken cancellationToken)
    {
        var name = entry.BundleName;
        trust = await LoadTrust.ForAsync(trust, source, entry.BundleSignatureName, name, cancellationToken);
        var where = source.Describe(name);
        var head = new byte[update.HeadSize ?? HeadSize];
        var reply = await source.ReadRangeAsync(name, 0, head, allowShorter: true, cancellationToken);
        if (reply.WholeBody is { } whole)
        {
            if (options.Mode == LoadMode.Ranges)
            {
                source.Metrics.Warn($"{where} was answered without Range support (200 instead of 206); loaded it in bundle mode from that one response.");
            }

            await using (whole)
            {
                await BundleModeLoader.UnpackAsync(whole, where, target, options, trust, update, cancellationToken);
                return LoadMode.Bundle;
            }
        }

        var (manifest, payloadOffset) = await ReadManifestAsync(source, name, where, head.AsMemory(0, reply.Count), options.Limits, trust, cancellationToken);
        if (reply.TotalLength is { } total && total != payloadOffset + manifest.PayloadSize)
        {
            throw new BundleException($"{where} is {total} bytes; its manifest describes {payloadOffset + manifest.PayloadSize}. The bundle is corrupt or was replaced.");
        }

        var plan = update.Decide(manifest, where, payloadOffset + manifest.PayloadSize, cancellationToken);
        using var staging = TreeStaging.Create(target, cancellationToken);
        if (plan.Fetch.Count > 0)
        {
            var cached = head.AsMemory(0, reply.Count)[(int)Math.Min(payloadOffset, reply.Count)..];
            var shares = RangeShare.Plan(manifest, plan.Fetch, options.MaxRangeRequestSize, cached.Length);
            try
            {
                await RangeShareUnpacker.UnpackAsync(
                    shares,
                    manifest,
                    staging.Root,
                    options.MaxConcurrentRequests,
                    (group, token) => FetchAsync(source, name, manifest, payloadOffset, group, token),
                    (group, token) => Decode(manifest, group, cached.Span[(int)group.Offset..], token),
                    cancellationToken);
            }
            catch (BundleException ex) when (!ex.Message.Contains(where, StringComparison.Ordinal))
            {
                throw new BundleException($"{where}: {ex.Message}", ex);
            }
        }

        update.Commit(staging, payloadOffset, cancellationToken);
        return options.Mode;
    }

    /// <summary>Parses the manifest frame from the head bytes, fetching the rest of it when it is longer.</summary>
    private static async Task<(Manifest Manifest, long PayloadOffset)> ReadManifestAsync(
        LoadSource source, string name, string where, ReadOnlyMemory<byte> head, BundleLimits limits, ManifestTrust? trust, CancellationToken cancellationToken)
    {
        var bytes = head;
        if (head.Length >= BundleFormat.SkippableFrameHeaderSize)
        {
            var declared = BinaryPrimitives.ReadUInt32LittleEndian(head.Span[4..]);
            var end = BundleFormat.SkippableFrameHeaderSize + (long)Math.Min(declared, BundleFormat.MaxManifestFrameSize + 1L);
            if (end > head.Length)
            {
                var whole = new byte[end];
                head.CopyTo(whole);
                var rest = await source.ReadRangeAsync(name, head.Length, whole.AsMemory(head.Length), allowShorter: true, cancellationToken);
                if (rest.WholeBody is not null)
                {
                    await rest.WholeBody.DisposeAsync();
                    throw new BundleException($"{where} stopped honoring Range requests (200 after 206).");
                }

                bytes = whole.AsMemory(0, head.Length + rest.Count);
            }
        }

        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            return await ManifestFrame.ReadAsync(stream, limits, trust, cancellationToken);
        }
        catch (BundleException ex)
        {
            throw new BundleException($"{where}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Fetches a run; its frames are decoded as they are read, so the runs waiting for their reader (several, each up to
    /// a request's size) hold compressed bytes, not content several times as large.
    /// </summary>
    private static async Task<DecodedFrame[]> FetchAsync(LoadSource source, string name, Manifest manifest, long payloadOffset, FrameGroup group, CancellationToken cancellationToken)
    {
        var compressed = FrameBuffers.Pool.Rent((int)group.Length);
        try
        {
            var reply = await source.ReadRangeAsync(name, payloadOffset + group.Offset, compressed.AsMemory(0, (int)group.Length), allowShorter: false, cancellationToken);
            if (reply.WholeBody is not null)
            {
                await reply.WholeBody.DisposeAsync();
                throw new BundleException($"{source.Describe(name)} stopped honoring Range requests (200 after 206).");
            }
        }
        catch
        {
            FrameBuffers.Pool.Return(compressed);
            throw;
        }

        return DecodedFrame.DecodeWhenRead(group.First, FramesOf(manifest, group), compressed);
    }

    /// <summary>Decodes the frames of a run from its compressed bytes, which start at the run's first frame.</summary>
    private static DecodedFrame[] Decode(Manifest manifest, FrameGroup group, ReadOnlySpan<byte> compressed, CancellationToken cancellationToken) =>
        DecodedFrame.DecodeRun(group.First, FramesOf(manifest, group), compressed, cancellationToken);

    private static List<FrameEntry> FramesOf(Manifest manifest, FrameGroup group) => [.. manifest.Frames.Skip(group.First).Take(group.Count)];
}
