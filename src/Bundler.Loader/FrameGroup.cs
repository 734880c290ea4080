namespace Bundler.Loader;

/// <summary>
/// A run of adjacent frames fetched with one Range request. <see cref="Plan"/> coalesces the wanted frames into runs
/// of at most a given compressed size (a single larger frame is a run of its own) and at most 16 MiB of content.
/// </summary>
internal sealed record FrameGroup(int First, int Count, long Offset, long Length)
{
    private const long MaxContent = BundleFormat.MaxFrameContentSize;

    public static List<FrameGroup> Plan(IReadOnlyList<FrameEntry> frames, IReadOnlySet<int> wanted, long maxRequestSize)
    {
        var groups = new List<FrameGroup>();
        int first = -1, count = 0;
        long length = 0, content = 0;
        for (var i = 0; i < frames.Count; i++)
        {
            if (!wanted.Contains(i))
            {
                Close();
                continue;
            }

            var frame = frames[i];
            if (count > 0 && (length + frame.Size > maxRequestSize || content + frame.TarSize > MaxContent))
            {
                Close();
            }

            if (count == 0)
            {
                first = i;
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
                groups.Add(new FrameGroup(first, count, frames[first].Offset, length));
            }

            count = 0;
            length = 0;
            content = 0;
        }
    }
}
