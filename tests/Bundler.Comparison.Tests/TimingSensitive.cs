
namespace Bundler.Comparison.Tests;

/// <summary>Tests that measure wall time run alone, after the parallel ones, so other tests do not steal their CPU.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "Timing-sensitive";
}
