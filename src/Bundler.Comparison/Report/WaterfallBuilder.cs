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

        // What the loader did after the last byte arrived (finishing the unpack, verifying, moving the tree into
        // place) belongs to the response that arrived last.
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

    private static string Label(ServedRequest request) =>
        request.Range is null ? request.Path : $"{request.Path} [{request.Range.Replace("bytes=", "", StringComparison.Ordinal)}]";
}
