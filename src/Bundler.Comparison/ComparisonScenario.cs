namespace Bundler.Comparison;

/// <summary>All runs under one network preset and protocol, grouped by load mode in the order they were first run.</summary>
internal sealed record ComparisonScenario(string Preset, string Network, string Protocol, IReadOnlyList<ComparisonRun> Runs)
{
    /// <summary>Appended to a mode's name for its runs as an update (a load into a target holding the older set).</summary>
    public const string UpdateSuffix = " update";

    public string Title => $"{Preset} · {Protocol}";

    public IReadOnlyList<ModeStatistics> Modes { get; } = [.. Runs.GroupBy(r => r.Mode).Select(g => ModeStatistics.Of(g.Key, [.. g]))];

    /// <summary>Appended to a mode's name for the browser loader's runs.</summary>
    public const string BrowserSuffix = " (browser)";

    /// <summary>
    /// How many times faster <paramref name="mode"/> is than the many-file mode of the same kind (an update against
    /// an update, the browser against the browser), by median wall time.
    /// </summary>
    public double? SpeedupOverFiles(ModeStatistics mode)
    {
        var space = mode.Mode.IndexOf(' ', StringComparison.Ordinal);
        var baseline = "files" + (space < 0 ? "" : mode.Mode[space..]);
        var files = Modes.FirstOrDefault(m => m.Mode == baseline);
        return files is null || mode.Median <= TimeSpan.Zero ? null : files.Median / mode.Median;
    }
}
