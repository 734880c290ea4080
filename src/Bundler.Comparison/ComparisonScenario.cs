using Bundler.Serving.Network;

namespace Bundler.Comparison;

/// <summary>All runs under one network preset and protocol, grouped by load mode in the order they were first run.</summary>
internal sealed record ComparisonScenario(NetworkProfile Profile, string Protocol, IReadOnlyList<ComparisonRun> Runs)
{
    /// <summary>Appended to a mode's name for its runs as an update (a load into a target holding the older set).</summary>
    public const string UpdateSuffix = " update";

    public string Preset => Profile.Name;

    public string Network => Profile.Describe();

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

    /// <summary>
    /// The physical floor of the mode's median run: one round trip for the first request, then its bytes at the link's
    /// rate (the shared bandwidth, else the per-connection cap times the connections it used). Null on an unthrottled link.
    /// </summary>
    public TimeSpan? LinkLimit(ModeStatistics mode)
    {
        var run = mode.MedianRun;
        var bytesPerSecond = Profile.BytesPerSecond ?? Profile.BytesPerSecondPerConnection * Math.Max(1, run.Connections);
        return bytesPerSecond is { } rate ? Profile.RoundTrip + TimeSpan.FromSeconds((double)run.Bytes / rate) : null;
    }

    /// <summary>The mode's median wall time as a multiple of its <see cref="LinkLimit"/>.</summary>
    public double? OverLinkLimit(ModeStatistics mode) =>
        LinkLimit(mode) is { } limit && limit > TimeSpan.Zero ? mode.Median / limit : null;
}
