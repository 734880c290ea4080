namespace Bundler.Comparison;

/// <summary>Median, fastest and slowest of a mode's runs; the median run is the one a report draws.</summary>
internal sealed record ModeStatistics(string Mode, TimeSpan Median, TimeSpan Min, TimeSpan Max, ComparisonRun MedianRun)
{
    public static ModeStatistics Of(string mode, IReadOnlyList<ComparisonRun> runs)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runs.Count);
        var sorted = runs.OrderBy(r => r.Wall).ToList();
        // The lower middle for even counts, so the median is a run that happened and can be drawn.
        var median = sorted[(sorted.Count - 1) / 2];
        return new ModeStatistics(mode, median.Wall, sorted[0].Wall, sorted[^1].Wall, median);
    }
}
