using Bundler.Core.Download;
using Bundler.Loader.Format;
using Bundler.Loader.Zstd;

namespace Bundler.Testing;

/// <summary>Makes hostile bundles: a real bundle with a doctored manifest, or a bundle around tar bytes no writer of ours makes.</summary>
public static class BundleForger
{
    private static readonly BundleLimits Lenient = new() { MaxTotalSize = long.MaxValue, MaxFileSize = long.MaxValue };

    public static Manifest ReadManifest(string bundlePath)
    {
        using var stream = File.OpenRead(bundlePath);
        return ManifestFrame.ReadAsync(stream, Lenient, CancellationToken.None).GetAwaiter().GetResult().Manifest;
    }

    /// <summary>Rewrites the manifest of <paramref name="bundlePath"/> in place, keeping the payload bytes as they are.</summary>
    public static void RewriteManifest(string bundlePath, Func<Manifest, Manifest> change)
    {
        var bytes = File.ReadAllBytes(bundlePath);
        long payloadOffset;
        Manifest manifest;
        using (var stream = new MemoryStream(bytes))
        {
            (manifest, payloadOffset) = ManifestFrame.ReadAsync(stream, Lenient, CancellationToken.None).GetAwaiter().GetResult();
        }

        using var output = File.Create(bundlePath);
        ManifestFrame.Write(output, change(manifest), 3);
        output.Write(bytes.AsSpan((int)payloadOffset));
    }

    /// <summary>
    /// Writes a bundle of one package whose part of the tar stream is <paramref name="packageTar"/> (a multiple of
    /// 512 bytes, without the trailer), described by <paramref name="files"/>, in one frame that
    /// <paramref name="encodeFrame"/> makes of it (by default, a well-formed zstd frame).
    /// </summary>
    public static void WriteRaw(string bundlePath, string id, string version, byte[] packageTar, IReadOnlyList<FileEntry> files, Func<byte[], byte[]>? encodeFrame = null)
    {
        var frame = encodeFrame is null ? ZstdFrameCodec.Compress(packageTar, 3) : encodeFrame(packageTar);
        var trailer = ZstdFrameCodec.Compress(new byte[BundleFormat.TarTrailerSize], 3);
        var manifest = new Manifest
        {
            FormatVersion = 1,
            Tool = "forger",
            Options = new ManifestOptions { CompressionLevel = 3, MaxFrameSize = BundleFormat.MaxFrameContentSize },
            TarSize = packageTar.Length + BundleFormat.TarTrailerSize,
            PayloadSize = frame.Length + trailer.Length,
            Packages =
            [
                new PackageEntry
                {
                    Id = id,
                    Version = version,
                    Source = "forged",
                    Archive = new ArchiveInfo { Name = "forged.zip", Size = 0, Integrity = "sha512-" },
                    TarOffset = 0,
                    TarSize = packageTar.Length,
                    FirstFrame = 0,
                    FrameCount = 1,
                    Files = files,
                },
            ],
            Frames =
            [
                new FrameEntry { Offset = 0, Size = frame.Length, TarOffset = 0, TarSize = packageTar.Length },
                new FrameEntry { Offset = frame.Length, Size = trailer.Length, TarOffset = packageTar.Length, TarSize = BundleFormat.TarTrailerSize },
            ],
        };
        using var output = File.Create(bundlePath);
        ManifestFrame.Write(output, manifest, 3);
        output.Write(frame);
        output.Write(trailer);
    }
}
