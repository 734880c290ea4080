using SharpCompress.Compressors.ZStandard;
using SharpCompress.Compressors.ZStandard.Unsafe;

namespace Bundler.Loader.Zstd;

/// <summary>
/// One-shot compression and decompression of single zstd frames with SharpCompress's managed zstd.
/// The encoder is managed code shipped with the tool, so a given tool version produces the same frames on every machine.
/// Contexts are reused per thread: creating one allocates several megabytes.
/// </summary>
internal static class ZstdFrameCodec
{
    private const ulong ContentSizeUnknown = ulong.MaxValue;

    [ThreadStatic] private static Compressor? t_compressor;
    [ThreadStatic] private static Decompressor? t_decompressor;

    public static int CompressBound(int length) => checked(length + (length >> 8) + 64 + (length < 128 * 1024 ? (128 * 1024 - length) >> 11 : 0));

    /// <summary>Compresses <paramref name="source"/> as one frame with its content size and a content checksum.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> source, int level)
    {
        var destination = new byte[CompressBound(source.Length)];
        var length = Compress(source, destination, level);
        return destination.AsSpan(0, length).ToArray();
    }

    /// <inheritdoc cref="Compress(ReadOnlySpan{byte}, int)"/>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination, int level)
    {
        var compressor = t_compressor ??= new Compressor(level);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_compressionLevel, level);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_contentSizeFlag, 1);
        return compressor.Wrap(source, destination);
    }

    /// <summary>Decompresses one frame whose content must be exactly <paramref name="contentSize"/> bytes.</summary>
    public static byte[] DecompressExact(ReadOnlySpan<byte> frame, int contentSize, string what)
    {
        var destination = new byte[contentSize];
        DecompressExact(frame, destination, what);
        return destination;
    }

    /// <summary>Decompresses one frame into exactly the whole of <paramref name="destination"/>, natively when libzstd is present.</summary>
    public static void DecompressExact(ReadOnlySpan<byte> frame, Span<byte> destination, string what) =>
        DecompressExact(frame, destination, what, NativeZstdDecoder.IsAvailable);

    /// <inheritdoc cref="DecompressExact(ReadOnlySpan{byte}, Span{byte}, string)"/>
    internal static void DecompressExact(ReadOnlySpan<byte> frame, Span<byte> destination, string what, bool native)
    {
        int written;
        try
        {
            var declared = native ? NativeZstdDecoder.ContentSize(frame) : ManagedContentSize(frame);
            if (declared != (ulong)destination.Length)
            {
                throw new BundleException($"{Capitalize(what)} is corrupt: its zstd frame declares {(declared is null ? "no" : declared.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))} content bytes where the manifest says {destination.Length}.");
            }

            written = native
                ? NativeZstdDecoder.Decompress(frame, destination)
                : (t_decompressor ??= new Decompressor()).Unwrap(frame, destination);
        }
        catch (BundleException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new BundleException($"{Capitalize(what)} is corrupt: zstd could not decode it ({ex.Message}).", ex);
        }

        if (written != destination.Length)
        {
            throw new BundleException($"{Capitalize(what)} is corrupt: it decoded to {written} bytes where {destination.Length} were expected.");
        }
    }

    private static ulong? ManagedContentSize(ReadOnlySpan<byte> frame)
    {
        var size = Decompressor.GetDecompressedSize(frame);
        return size == ContentSizeUnknown ? null : size;
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
