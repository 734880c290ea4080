using Bundler.Serving.Network;

namespace Bundler.Comparison.Tests;

public sealed class ComparisonScenarioTests
{
    [Fact]
    public void LinkLimit_SharedBandwidth_IsOneRoundTripThenTheBytesAtTheLinkRate()
    {
        var scenario = Scenario(new NetworkProfile("test", TimeSpan.FromMilliseconds(40), 1_000_000, null, null), Run("bundle", TimeSpan.FromSeconds(3), 2_000_000, connections: 1));

        var mode = scenario.Modes.Single();

        Assert.Equal(TimeSpan.FromSeconds(2.04), scenario.LinkLimit(mode));
        Assert.Equal(3 / 2.04, scenario.OverLinkLimit(mode)!.Value, 6);
    }

    [Fact]
    public void LinkLimit_PerConnectionCapOnly_GrowsWithTheConnectionsTheRunUsed()
    {
        var profile = new NetworkProfile("capped", TimeSpan.FromMilliseconds(10), null, 500_000, null);
        var scenario = Scenario(profile, Run("files", TimeSpan.FromSeconds(2), 2_000_000, connections: 4), Run("bundle", TimeSpan.FromSeconds(5), 2_000_000, connections: 1));

        Assert.Equal(TimeSpan.FromSeconds(1.01), scenario.LinkLimit(scenario.Modes.Single(m => m.Mode == "files")));
        Assert.Equal(TimeSpan.FromSeconds(4.01), scenario.LinkLimit(scenario.Modes.Single(m => m.Mode == "bundle")));
    }

    [Fact]
    public void LinkLimit_UnthrottledLink_IsNull()
    {
        var scenario = Scenario(NetworkProfile.Unthrottled, Run("bundle", TimeSpan.FromSeconds(1), 1_000, connections: 1));

        Assert.Null(scenario.LinkLimit(scenario.Modes.Single()));
        Assert.Null(scenario.OverLinkLimit(scenario.Modes.Single()));
    }

    private static ComparisonScenario Scenario(NetworkProfile profile, params ComparisonRun[] runs) => new(profile, "HTTP/1.1", runs);

    private static ComparisonRun Run(string mode, TimeSpan wall, long bytes, int connections) => new(mode, wall, bytes, 1, connections, []);
}
