using System.Buffers.Binary;
using Bundler.Loader.Trust;
using Bundler.Loader.Zstd;

namespace Bundler.Loader.Format;

/// <summary>
/// Reads and writes the leading skippable frame that carries the manifest:
/// <c>u32le magic 0x184D2A5B, u32le N, "BNDL", u16le version, u16le flags (0), u32le JSON length, zstd frame of the JSON</c>.
/// </summary>
internal static class ManifestFrame
{
    /// <summary>
    /// Writes the frame; returns its total length (where the payload starts), the manifest's integrity and, when
    /// <paramref name="signingKeys"/> are given, the signature file of the manifest (signed by each).
    /// </summary>
    public static (long Length, string Integrity, byte[]? Signature) Write(Stream output, Manifest manifest, int compressionLevel, IReadOnlyList<System.Security.Cryptography.ECDsa>? signingKeys = null)
    {
        // The JSON of a large set runs to tens of megabytes: serialized once into a buffer sized for it and compressed
        // once, so the writer does not hold several copies of it at its peak.
        using var json = new MemoryStream(ManifestJson.EstimateSize(manifest));
        ManifestJson.Serialize(manifest, json);
        if (json.Length > BundleFormat.MaxManifestJsonSize)
        {
            throw new BundleException($"The manifest is {json.Length} bytes of JSON, over the format's limit of {BundleFormat.MaxManifestJsonSize}; split the package set.");
        }

        var utf8 = json.GetBuffer().AsSpan(0, (int)json.Length);
        var compressed = new byte[ZstdFrameCodec.CompressBound(utf8.Length)];
        var compressedLength = ZstdFrameCodec.Compress(utf8, compressed, compressionLevel);
        var signature = signingKeys is { Count: > 0 } ? ManifestSignatureFile.Create(utf8, signingKeys) : null;
        return (WriteFrame(output, compressed.AsSpan(0, compressedLength), utf8.Length), ManifestIntegrity.Compute(utf8), signature);
    }

    private static long WriteFrame(Stream output, ReadOnlySpan<byte> compressed, int jsonLength)
    {
        var userDataLength = BundleFormat.ManifestHeaderSize + compressed.Length;
        if (userDataLength > BundleFormat.MaxManifestFrameSize)
        {
            throw new BundleException($"The manifest compresses to {compressed.Length} bytes, over the format's limit of {BundleFormat.MaxManifestFrameSize}.");
        }

        Span<byte> header = stackalloc byte[BundleFormat.SkippableFrameHeaderSize + BundleFormat.ManifestHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, BundleFormat.SkippableFrameMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)userDataLength);
        BundleFormat.ManifestMagic.CopyTo(header[8..]);
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], BundleFormat.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[14..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)jsonLength);
        output.Write(header);
        output.Write(compressed);
        return header.Length + compressed.Length;
    }

    /// <summary>Reads the frame from the start of <paramref name="input"/>, validates the manifest, and returns it with the payload offset.</summary>
    public static Task<(Manifest Manifest, long PayloadOffset)> ReadAsync(Stream input, BundleLimits limits, CancellationToken cancellationToken) =>
        ReadAsync(input, limits, trust: null, cancellationToken);

    /// <summary>
    /// Reads the frame as <see cref="ReadAsync(Stream, BundleLimits, CancellationToken)"/> does, holding the manifest
    /// JSON to <paramref name="trust"/> before it is parsed. The JSON is decoded as it is hashed and again as it is
    /// parsed, never held whole: at its peak a large set's manifest is in memory compressed and as objects, not also
    /// as tens of megabytes of text.
    /// </summary>
    public static async Task<(Manifest Manifest, long PayloadOffset)> ReadAsync(Stream input, BundleLimits limits, ManifestTrust? trust, CancellationToken cancellationToken)
    {
        var (compressed, jsonLength, payloadOffset) = await ReadCompressedAsync(input, cancellationToken);
        if (trust is not null)
        {
            await using var hashed = new ManifestJsonStream(compressed, jsonLength);
            await trust.VerifyAsync(hashed, cancellationToken);
        }

        await using var json = new ManifestJsonStream(compressed, jsonLength);
        var manifest = await ManifestJson.DeserializeAsync(json, cancellationToken);
        ManifestValidator.Validate(manifest, limits);
        return (manifest, payloadOffset);
    }

    /// <summary>Reads the frame as <see cref="ReadAsync(Stream, BundleLimits, ManifestTrust?, CancellationToken)"/> does, and also returns the manifest JSON as it was in the frame.</summary>
    public static async Task<(Manifest Manifest, long PayloadOffset, byte[] Json)> ReadWithJsonAsync(Stream input, BundleLimits limits, ManifestTrust? trust, CancellationToken cancellationToken)
    {
        var (compressed, jsonLength, payloadOffset) = await ReadCompressedAsync(input, cancellationToken);
        var json = ZstdFrameCodec.DecompressExact(compressed, (int)jsonLength, "the manifest");
        trust?.Verify(json);
        var manifest = ManifestJson.Deserialize(json);
        ManifestValidator.Validate(manifest, limits);
        return (manifest, payloadOffset, json);
    }

    /// <summary>Reads and checks the frame's header and returns its zstd frame of the JSON, the JSON's declared length and where the payload starts.</summary>
    private static async Task<(byte[] Compressed, uint JsonLength, long PayloadOffset)> ReadCompressedAsync(Stream input, CancellationToken cancellationToken)
    {
        var header = new byte[BundleFormat.SkippableFrameHeaderSize + BundleFormat.ManifestHeaderSize];
        await ReadExactlyOrThrowAsync(input, header, "the bundle header", cancellationToken);

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (magic != BundleFormat.SkippableFrameMagic || !header.AsSpan(8, 4).SequenceEqual(BundleFormat.ManifestMagic))
        {
            throw new BundleException("This is not a Bundler bundle: it does not start with the manifest frame (magic 0x184D2A5B \"BNDL\").");
        }

        var userDataLength = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        var version = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(12));
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(14));
        var jsonLength = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16));
        if (version != BundleFormat.Version)
        {
            throw new BundleException($"The bundle has format version {version}; this reader understands version {BundleFormat.Version}. Use a matching Bundler version.");
        }

        if (flags != 0)
        {
            throw new BundleException($"The bundle's manifest header has unknown flags 0x{flags:X4}.");
        }

        if (userDataLength <= BundleFormat.ManifestHeaderSize || userDataLength > BundleFormat.MaxManifestFrameSize
            || jsonLength == 0 || jsonLength > BundleFormat.MaxManifestJsonSize)
        {
            throw new BundleException($"The bundle's manifest frame declares implausible sizes ({userDataLength} bytes, {jsonLength} bytes of JSON).");
        }

        var compressed = new byte[userDataLength - BundleFormat.ManifestHeaderSize];
        await ReadExactlyOrThrowAsync(input, compressed, "the manifest", cancellationToken);
        return (compressed, jsonLength, BundleFormat.SkippableFrameHeaderSize + userDataLength);
    }

    private static async Task ReadExactlyOrThrowAsync(Stream input, Memory<byte> buffer, string what, CancellationToken cancellationToken)
    {
        var read = await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (read < buffer.Length)
        {
            throw new BundleException($"The bundle is truncated: it ends inside {what} ({read} of {buffer.Length} bytes).");
        }
    }
}
