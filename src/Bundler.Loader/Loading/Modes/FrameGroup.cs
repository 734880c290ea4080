using Bundler.Loader.Format;

namespace Bundler.Loader.Loading.Modes;

/// <summary>
/// A run of adjacent frames fetched with one Range request, or already at hand (<see cref="Cached"/>) because the
/// request for the manifest brought them along. <see cref="Plan"/> coalesces the wanted frames into runs of at most a
/// given compressed size (a single larger frame is a run of its own) and at most 16 MiB of content.
/// </summary>
internal sealed record FrameGroup(int First, int Count, long Offset, long Length, bool Cached)
{
    private const long MaxContent = BundleFormat.MaxFrameContentSize;

    /// <param name="frames">The manifest's frames.</param>
    /// <param name="wanted">Indexes of the frames to load.</param>
    /// <param name="maxRequestSize">Most compressed bytes per request.</param>
    /// <param name="cachedPayload">Payload bytes already at hand from offset 0; frames wholly inside need no request.</param>
    /// <param name="cuts">Indexes of frames that start a new run whatever their neighbours (where one reader's share ends).</param>
    public static List<FrameGroup> Plan(IReadOnlyList<FrameEntry> frames, IReadOnlySet<int> wanted, long maxRequestSize, long cachedPayload, IReadOnlySet<int>? cuts = null)
    {
        var groups = new List<FrameGroup>();
        int first = -1, count = 0;
        long length = 0, content = 0;
        var cached = false;
        for (var i = 0; i < frames.Count; i++)
        {
            if (!wanted.Contains(i))
            {
                Close();
                continue;
            }

            var frame = frames[i];
            var inCache = frame.Offset + frame.Size <= cachedPayload;
            if (count > 0 && (inCache != cached || cuts?.Contains(i) == true || length + frame.Size > maxRequestSize || content + frame.TarSize > MaxContent))
            {
                Close();
            }

            if (count == 0)
            {
                first = i;
                cached = inCache;
            }

            count++;
            length += frame.Size;
            content += frame.TarSize;
        }

        Close();
        return groups;

        void Close()
        {
            if (count > 0)
            {
                groups.Add(new FrameGroup(first, count, frames[first].Offset, length, cached));
            }

            count = 0;
            length = 0;
            content = 0;
        }
    }
}
