using Bundler.Comparison.Report;

namespace Bundler.Comparison;

/// <summary>One cold load of the package set in one mode: what it cost and the requests it made.</summary>
internal sealed record ComparisonRun(
    string Mode,
    TimeSpan Wall,
    long Bytes,
    int Requests,
    int Connections,
    IReadOnlyList<WaterfallRow> Waterfall);
