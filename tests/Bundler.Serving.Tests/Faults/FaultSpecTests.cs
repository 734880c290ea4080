using Bundler.Loader;
using Bundler.Serving.Faults;

namespace Bundler.Serving.Tests.Faults;

/// <summary>The <c>serve --faults</c> text: chances per kind, or one total spread over the six kinds.</summary>
public sealed class FaultSpecTests
{
    [Theory]
    [InlineData("500=0.02,429=1%,reset=0.01,truncate=0.01,stall=0.005,bitflip=0.01", "500 2%, 429 1%, reset 1%, truncate 1%, stall 0.5%, bitflip 1%")]
    [InlineData(" RESET = 0.5 , norange=50% ", "reset 50%, norange 50%")]
    [InlineData("5%", "500 0.833%, 429 0.833%, reset 0.833%, truncate 0.833%, stall 0.833%, bitflip 0.833%")]
    [InlineData("0.06", "500 1%, 429 1%, reset 1%, truncate 1%, stall 1%, bitflip 1%")]
    [InlineData("500=1", "500 100%")]
    [InlineData("500=0,reset=0.1", "reset 10%")]
    public void Parse_ValidSpec_GivesOneRulePerKindWithItsChance(string spec, string described)
    {
        var faults = FaultSpec.Parse(spec, TimeSpan.FromSeconds(3));

        Assert.Equal(described, FaultSpec.Describe(faults));
        Assert.All(faults, f => Assert.Equal((int.MaxValue, TimeSpan.FromSeconds(3), (string?)null), (f.Times, f.StallFor, f.Path)));
    }

    [Theory]
    [InlineData("", "'' is not a chance")]
    [InlineData("lots", "'lots' is not a chance")]
    [InlineData("500", "'500' is more than 100%")]
    [InlineData("500=x", "'x' is not a chance")]
    [InlineData("500=-0.1", "'-0.1' is not a chance")]
    [InlineData("500=2", "'2' is more than 100%")]
    [InlineData("timeout=0.1", "'timeout=0.1' is not KIND=CHANCE with KIND one of 500, 429, reset, truncate, stall, drip, bitflip, norange")]
    [InlineData("500=0.1,reset", "'reset' is not KIND=CHANCE")]
    [InlineData("500=0.1,500=0.2", "'500' is given twice")]
    [InlineData("500=60%,reset=0.5", "the chances add up to more than 100%")]
    public void Parse_InvalidSpec_RefusedSayingWhyAndHowToWriteOne(string spec, string why)
    {
        var ex = Assert.Throws<BundleException>(() => FaultSpec.Parse(spec, TimeSpan.FromSeconds(1)));

        Assert.StartsWith($"--faults '{spec}' is not valid: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Write it like 500=0.02,", ex.Message, StringComparison.Ordinal);
    }
}
