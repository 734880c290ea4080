namespace Bundler.Comparison;

/// <summary>All runs under one network preset and protocol, grouped by load mode in the order they were first run.</summary>
internal sealed record ComparisonScenario(string Preset, string Network, string Protocol, IReadOnlyList<ComparisonRun> Runs)
{
    public string Title => $"{Preset} · {Protocol}";

    public IReadOnlyList<ModeStatistics> Modes { get; } = [.. Runs.GroupBy(r => r.Mode).Select(g => ModeStatistics.Of(g.Key, [.. g]))];

    /// <summary>How many times faster <paramref name="mode"/> is than the many-file mode, by median wall time.</summary>
    public double? SpeedupOverFiles(ModeStatistics mode)
    {
        var files = Modes.FirstOrDefault(m => m.Mode == "files");
        return files is null || mode.Median <= TimeSpan.Zero ? null : files.Median / mode.Median;
    }
}
