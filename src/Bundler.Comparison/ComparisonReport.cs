namespace Bundler.Comparison;

/// <summary>Everything one <c>compare</c> produced: the package set it loaded and each scenario's runs.</summary>
internal sealed record ComparisonReport(
    string PackageSet,
    int Packages,
    long BundleBytes,
    long ArchiveBytes,
    int RunsPerMode,
    DateTimeOffset Created,
    IReadOnlyList<ComparisonScenario> Scenarios);
