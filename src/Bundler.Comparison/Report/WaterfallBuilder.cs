using Bundler.Comparison.Browser;
using Bundler.Serving;

namespace Bundler.Comparison.Report;

/// <summary>Turns the server's log of one run into waterfall rows on the run's clock.</summary>
internal static class WaterfallBuilder
{
    /// <param name="requests">What the server logged during the run.</param>
    /// <param name="runStart">When the run began, on the server's clock.</param>
    /// <param name="wall">How long the run took as the loader measured it.</param>
    public static IReadOnlyList<WaterfallRow> FromServerLog(IEnumerable<ServedRequest> requests, TimeSpan runStart, TimeSpan wall)
    {
        var rows = requests
            .OrderBy(r => r.Start)
            .Select(r =>
            {
                var start = r.Start - runStart;
                var end = start + r.Duration;
                return new WaterfallRow(Label(r), start, start + r.FirstByte, end, end, r.Bytes, r.Status);
            })
            .ToList();

        return WithLoaderTail(rows, wall);
    }

    /// <summary>
    /// What the loader did after the last byte arrived (finishing the unpack, verifying, moving the tree into place)
    /// belongs to the response that arrived last.
    /// </summary>
    private static List<WaterfallRow> WithLoaderTail(List<WaterfallRow> rows, TimeSpan wall)
    {
        if (rows.Count > 0)
        {
            var last = rows.IndexOf(rows.MaxBy(r => r.End)!);
            if (wall > rows[last].End)
            {
                rows[last] = rows[last] with { Unpacked = wall };
            }
        }

        return rows;
    }

    /// <summary>
    /// Turns a browser's Resource Timing of one run into waterfall rows on the loader's clock, with the bytes the
    /// server logged for each path (Resource Timing counts headers too, and nothing for a response it did not finish).
    /// </summary>
    public static IReadOnlyList<WaterfallRow> FromResourceTiming(IEnumerable<BrowserResource> resources, IReadOnlyList<ServedRequest> requests, TimeSpan wall)
    {
        var rows = resources
            .OrderBy(r => r.StartMs)
            .Select(r =>
            {
                var path = Uri.UnescapeDataString(new Uri(r.Url).AbsolutePath);
                var end = TimeSpan.FromMilliseconds(r.ResponseEndMs);
                return new WaterfallRow(path, TimeSpan.FromMilliseconds(r.StartMs), TimeSpan.FromMilliseconds(r.ResponseStartMs), end, end,
                    requests.Where(s => s.Path == path).Sum(s => s.Bytes), r.Status);
            })
            .ToList();
        return WithLoaderTail(rows, wall);
    }

    private static string Label(ServedRequest request) =>
        request.Range is null ? request.Path : $"{request.Path} [{request.Range.Replace("bytes=", "", StringComparison.Ordinal)}]";
}
