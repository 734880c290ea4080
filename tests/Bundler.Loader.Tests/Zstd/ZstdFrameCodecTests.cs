using Bundler.Loader.Tests.Unpacking;
using Bundler.Loader.Zstd;

namespace Bundler.Loader.Tests.Zstd;

/// <summary>The native and managed decoders agree, and both refuse what is not the frame the manifest promised.</summary>
public sealed class ZstdFrameCodecTests
{
    public static TheoryData<bool> Decoders()
    {
        var data = new TheoryData<bool> { false };
        if (NativeZstdDecoder.IsAvailable)
        {
            data.Add(true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void Decode_ValidFrame_GivesBackTheContent(bool native)
    {
        var content = RoundTripTests.RandomBytes(300_000, 3).Concat(new byte[200_000]).ToArray();
        var frame = ZstdFrameCodec.Compress(content, 3);
        var decoded = new byte[content.Length];

        ZstdFrameCodec.DecompressExact(frame, decoded, "the frame", native);

        Assert.Equal(content, decoded);
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void Decode_OfAFlippedByte_IsRefused(bool native)
    {
        var content = RoundTripTests.RandomBytes(100_000, 4);
        var frame = ZstdFrameCodec.Compress(content, 3);
        frame[frame.Length / 2] ^= 0x01;

        var error = Assert.Throws<BundleException>(() => ZstdFrameCodec.DecompressExact(frame, new byte[content.Length], "frame 7", native));

        Assert.StartsWith("Frame 7 is corrupt", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Decoders))]
    public void Decode_IntoTheWrongSize_IsRefused(bool native)
    {
        var frame = ZstdFrameCodec.Compress(new byte[4096], 3);

        var error = Assert.Throws<BundleException>(() => ZstdFrameCodec.DecompressExact(frame, new byte[1024], "frame 2", native));

        Assert.Contains("declares 4096 content bytes where the manifest says 1024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeDecoder_IsFoundOnThisMachine_WhenLibzstdIsInstalled()
    {
        var hasLibzstd = File.Exists("/usr/lib/x86_64-linux-gnu/libzstd.so.1") || File.Exists("/usr/lib/aarch64-linux-gnu/libzstd.so.1");

        Assert.True(!hasLibzstd || NativeZstdDecoder.IsAvailable || Environment.GetEnvironmentVariable("BUNDLER_NATIVE_ZSTD") == "0");
    }
}
