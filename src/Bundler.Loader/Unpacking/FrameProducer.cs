using System.Buffers;
using System.Threading.Channels;
using Bundler.Loader.Format;
using Bundler.Loader.IO;

namespace Bundler.Loader.Unpacking;

/// <summary>
/// Reads payload frames from a forward-only stream, in order, exactly as the manifest lays them out, and starts
/// decompressing each on the thread pool as soon as its bytes have arrived. The consumer receives the decode tasks
/// in frame order through a bounded channel, so reading, decompressing (on several cores) and unpacking overlap while
/// memory stays bounded by the channel's capacity. Frames of packages not wanted are read and dropped undecoded.
/// </summary>
internal static class FrameProducer
{
    public static Channel<Task<DecodedFrame[]>> CreateChannel(int capacity) =>
        Channel.CreateBounded<Task<DecodedFrame[]>>(new BoundedChannelOptions(Math.Max(2, capacity))
        {
            SingleReader = true,
            SingleWriter = true,
        });

    public static Channel<Task<DecodedFrame[]>> CreateChannel() => CreateChannel(Environment.ProcessorCount * 2);

    /// <summary>Reads every frame; decodes and queues those in <paramref name="wanted"/> (all when null).</summary>
    /// <param name="payload">The bundle, positioned at the first payload byte.</param>
    /// <param name="frames">The manifest's frames.</param>
    /// <param name="wanted">Indexes of the frames to decode and queue; null for all.</param>
    /// <param name="writer">Receives one batch per frame, in order.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public static async Task RunAsync(Stream payload, IReadOnlyList<FrameEntry> frames, IReadOnlySet<int>? wanted, ChannelWriter<Task<DecodedFrame[]>> writer, CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; i < frames.Count; i++)
            {
                var frame = frames[i];
                var compressed = FrameBuffers.Pool.Rent((int)frame.Size);
                try
                {
                    var read = await payload.ReadAtLeastAsync(compressed.AsMemory(0, (int)frame.Size), (int)frame.Size, throwOnEndOfStream: false, cancellationToken);
                    if (read < frame.Size)
                    {
                        throw new BundleException($"The bundle is truncated: it ends inside frame {i} (payload offset {frame.Offset + read}, {frame.Size - read} bytes missing).");
                    }
                }
                catch
                {
                    FrameBuffers.Pool.Return(compressed);
                    throw;
                }

                if (wanted is not null && !wanted.Contains(i))
                {
                    FrameBuffers.Pool.Return(compressed);
                    continue;
                }

                var index = i;
                var decode = Task.Run(() => Decode(index, frame, compressed), cancellationToken);
                await writer.WriteAsync(decode, cancellationToken);
            }

            var extra = new byte[1];
            if (await payload.ReadAsync(extra, cancellationToken) != 0)
            {
                throw new BundleException($"The bundle has data after its last frame (payload offset {frames[^1].Offset + frames[^1].Size}); it is corrupt or not what the manifest describes.");
            }

            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
            throw;
        }
    }

    private static DecodedFrame[] Decode(int index, FrameEntry frame, byte[] compressed)
    {
        try
        {
            return [DecodedFrame.Decode(index, frame, compressed.AsSpan(0, (int)frame.Size))];
        }
        finally
        {
            FrameBuffers.Pool.Return(compressed);
        }
    }
}
