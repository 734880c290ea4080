using Bundler.Core.Writing;
using Bundler.Testing;

namespace Bundler.Core.Tests.Writing;

/// <summary>A package's frame buffers are sized to what it is expected to hold; the frames never depend on that guess.</summary>
public sealed class FramePipelineTests : IDisposable
{
    private const int FrameSize = 64 * 1024;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(512)]
    [InlineData(200_000)]
    [InlineData(10_000_000)]
    public async Task Frames_ExpectedSizeBelowOrAboveWhatArrives_CutAtTheFrameSizeWithTheSameBytes(long expectedTarSize)
    {
        var content = new byte[3 * FrameSize + 12_345];
        new Random(7).NextBytes(content.AsSpan(0, content.Length / 2));

        var (frames, spilled) = await WriteAsync(content, expectedTarSize);

        Assert.Equal([FrameSize, FrameSize, FrameSize, 12_345], frames.Select(f => f.ContentLength));
        var (_, exact) = await WriteAsync(content, content.Length);
        Assert.Equal(exact, spilled);
    }

    private async Task<(List<SpilledFrame> Frames, byte[] Spilled)> WriteAsync(byte[] content, long expectedTarSize)
    {
        var path = _temp[$"frames-{Guid.NewGuid():N}"];
        using var slots = new SemaphoreSlim(2);
        List<SpilledFrame> frames;
        byte[] spilled;
        using (var spill = new SpillFile(path))
        {
            await using (var pipeline = new FramePipeline(spill, FrameSize, 3, 2, slots, expectedTarSize, CancellationToken.None))
            {
                // Written in uneven pieces, as archive entries arrive.
                for (var offset = 0; offset < content.Length; offset += 7_001)
                {
                    await pipeline.WriteAsync(content.AsMemory(offset, Math.Min(7_001, content.Length - offset)));
                }

                frames = await pipeline.CompleteAsync();
            }

            using var copy = new MemoryStream();
            foreach (var frame in frames)
            {
                await spill.CopyToAsync(frame.SpillOffset, frame.Size, copy, new byte[4096], CancellationToken.None);
            }

            spilled = copy.ToArray();
        }

        return (frames, spilled);
    }
}
