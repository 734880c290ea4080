using Bundler.Loader.Format;

namespace Bundler.Loader.Loading.Modes;

/// <summary>
/// Consecutive packages (in manifest order) that one tar reader unpacks from their own runs of frames, independently
/// of the other shares: a package's tar bytes stand alone, so shares are unpacked in whatever order their bytes arrive.
/// The last share also holds the trailer frame. The first shares are small and each is at most twice the one before
/// (up to the largest request), so the first bytes to unpack arrive early while later requests stay large.
/// </summary>
internal sealed record RangeShare(IReadOnlyList<PackageEntry> Packages, IReadOnlyList<FrameGroup> Groups, bool EndsWithTrailer)
{
    private const long FirstShareSize = 256 * 1024;

    /// <param name="manifest">The bundle's manifest.</param>
    /// <param name="packages">The packages to load, in manifest order.</param>
    /// <param name="maxRequestSize">Most compressed bytes per request.</param>
    /// <param name="cachedPayload">Payload bytes already at hand from offset 0.</param>
    public static List<RangeShare> Plan(Manifest manifest, IReadOnlyList<PackageEntry> packages, long maxRequestSize, long cachedPayload)
    {
        var frames = manifest.Frames;
        var shares = new List<List<PackageEntry>>();
        var cuts = new HashSet<int>();
        var target = FirstShareSize;
        var largest = Math.Max(maxRequestSize, FirstShareSize);
        long size = 0;
        foreach (var package in packages)
        {
            if (shares.Count == 0 || size >= target)
            {
                if (shares.Count > 0)
                {
                    target = Math.Min(target * 2, largest);
                }

                shares.Add([]);
                cuts.Add(package.FirstFrame);
                size = 0;
            }

            shares[^1].Add(package);
            size += CompressedSize(frames, package);
        }

        var trailer = frames.Count - 1;
        if (shares.Count == 0)
        {
            shares.Add([]);
            cuts.Add(trailer);
        }

        var wanted = PackageSelection.FramesOf(manifest, packages);
        var groups = FrameGroup.Plan(frames, wanted, maxRequestSize, cachedPayload, cuts);

        // Each share's runs are the ones from its first frame up to the next share's first frame.
        var result = new List<RangeShare>(shares.Count);
        var next = 0;
        for (var i = 0; i < shares.Count; i++)
        {
            var end = i + 1 < shares.Count ? shares[i + 1][0].FirstFrame : int.MaxValue;
            var own = new List<FrameGroup>();
            while (next < groups.Count && groups[next].First < end)
            {
                own.Add(groups[next++]);
            }

            result.Add(new RangeShare(shares[i], own, EndsWithTrailer: i == shares.Count - 1));
        }

        return result;
    }

    private static long CompressedSize(IReadOnlyList<FrameEntry> frames, PackageEntry package)
    {
        if (package.FrameCount == 0)
        {
            return 0;
        }

        var last = frames[package.FirstFrame + package.FrameCount - 1];
        return last.Offset + last.Size - frames[package.FirstFrame].Offset;
    }
}
