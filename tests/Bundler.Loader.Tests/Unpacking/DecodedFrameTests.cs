using Bundler.Loader.Format;
using Bundler.Loader.IO;
using Bundler.Loader.Unpacking;
using Bundler.Loader.Zstd;

namespace Bundler.Loader.Tests.Unpacking;

/// <summary>The frames of a fetched run are checked when it arrives and decoded for good one by one as they are read.</summary>
public sealed class DecodedFrameTests
{
    [Fact]
    public void DecodeWhenRead_FramesOfARun_EachReadGivesItsContent()
    {
        var (frames, compressed, contents) = Run(3);

        var decoded = DecodedFrame.DecodeWhenRead(5, frames, compressed);

        for (var i = 0; i < decoded.Length; i++)
        {
            Assert.Equal(contents[i], decoded[i].Content.ToArray());
            Assert.Equal(frames[i].TarOffset, decoded[i].TarOffset);
        }

        DecodedFrame.DisposeAll(decoded);
        Assert.True(decoded[0].Content.IsEmpty);
    }

    [Fact]
    public void DecodeWhenRead_CorruptSecondFrame_FailsAtOnceNamingTheFrame()
    {
        var (frames, compressed, _) = Run(3);
        compressed[(int)(frames[1].Offset + (frames[1].Size / 2))] ^= 0x5A;

        var error = Assert.Throws<BundleException>(() => DecodedFrame.DecodeWhenRead(5, frames, compressed));

        Assert.Contains("Frame 6 (payload offset", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Frames of different content, compressed one after another into one pooled buffer, as a range request brings them.</summary>
    private static (List<FrameEntry> Frames, byte[] Compressed, List<byte[]> Contents) Run(int count)
    {
        var frames = new List<FrameEntry>();
        var contents = new List<byte[]>();
        var bytes = new List<byte>();
        long tarOffset = 4096;
        for (var i = 0; i < count; i++)
        {
            var content = new byte[BundleFormat.TarBlockSize * (i + 2)];
            new Random(i).NextBytes(content.AsSpan(0, content.Length / 2));
            var frame = ZstdFrameCodec.Compress(content, 3);
            frames.Add(new FrameEntry { Offset = 1000 + bytes.Count, Size = frame.Length, TarOffset = tarOffset, TarSize = content.Length });
            contents.Add(content);
            bytes.AddRange(frame);
            tarOffset += content.Length;
        }

        var compressed = FrameBuffers.Pool.Rent(bytes.Count);
        bytes.CopyTo(compressed);
        // Offsets count from the payload start; the buffer starts at the run's first frame.
        return ([.. frames.Select(f => f with { Offset = f.Offset - 1000 })], compressed, contents);
    }
}
