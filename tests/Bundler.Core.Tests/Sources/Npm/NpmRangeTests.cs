using NuGet.Versioning;
using Bundler.Core.Sources.Npm;

namespace Bundler.Core.Tests.Sources.Npm;

/// <summary>npm range syntax translated to NuGet ranges, with npm's prerelease rule, checked version by version.</summary>
public sealed class NpmRangeTests
{
    [Theory]
    [InlineData("^1.2.3", "1.2.3 1.9.0", "1.2.2 2.0.0 2.0.0-0 1.3.0-beta")]
    [InlineData("^0.2.3", "0.2.3 0.2.9", "0.3.0 0.2.2")]
    [InlineData("^0.0.3", "0.0.3", "0.0.4 0.0.2")]
    [InlineData("^1.x", "1.0.0 1.9.9", "2.0.0 0.9.0")]
    [InlineData("^0.x", "0.0.0 0.9.9", "1.0.0")]
    [InlineData("~1.2.3", "1.2.3 1.2.9", "1.3.0 1.2.2")]
    [InlineData("~1.2", "1.2.0 1.2.9", "1.3.0 1.1.9")]
    [InlineData("~1", "1.0.0 1.9.0", "2.0.0")]
    [InlineData("1.x", "1.0.0 1.5.0", "2.0.0 0.1.0")]
    [InlineData("1.2.*", "1.2.0 1.2.7", "1.3.0")]
    [InlineData("*", "0.0.1 99.0.0", "1.0.0-beta")]
    [InlineData("", "1.0.0", "1.0.0-rc.1")]
    [InlineData("1.2.3", "1.2.3", "1.2.4 1.2.2")]
    [InlineData("=1.2", "1.2.0 1.2.5", "1.3.0")]
    [InlineData("v1.2.3", "1.2.3", "1.2.4")]
    [InlineData(">=1.2.3 <2", "1.2.3 1.99.0", "2.0.0 1.2.2 2.0.0-alpha")]
    [InlineData(">= 1.2.3 < 2.0.0", "1.2.3", "2.0.0")]
    [InlineData(">1.2", "1.3.0", "1.2.9")]
    [InlineData(">1.2.3", "1.2.4", "1.2.3")]
    [InlineData("<=1.2", "1.2.9 0.1.0", "1.3.0")]
    [InlineData("<1.2", "1.1.9", "1.2.0 1.2.0-beta")]
    [InlineData("1.2 - 2.3.4", "1.2.0 2.3.4", "2.3.5 1.1.9")]
    [InlineData("1.2.3 - 2.3", "2.3.9", "2.4.0")]
    [InlineData("1.2.3 - 2", "2.9.9", "3.0.0")]
    [InlineData("^1.0.0 || ^3.0.0", "1.5.0 3.1.0", "2.0.0 4.0.0")]
    [InlineData("1.x || >=2.5.0 || 5.0.0 - 7.2.3", "1.2.0 2.5.0 9.0.0", "2.0.0 2.4.9")]
    [InlineData("^1.2.3-beta.2", "1.2.3-beta.2 1.2.3-beta.10 1.2.3 1.3.0", "1.2.3-beta.1 1.2.4-beta.1 2.0.0")]
    [InlineData(">=1.0.0-rc.1 <1.0.1", "1.0.0-rc.1 1.0.0-rc.2 1.0.0", "1.0.1-rc.1 0.9.0")]
    public void Satisfies_NpmRange_MatchesWhatNpmMatches(string range, string matches, string misses)
    {
        var sets = NpmRange.TryParse(range);

        Assert.NotNull(sets);
        foreach (var version in matches.Split(' '))
        {
            Assert.True(NpmRange.Satisfies(sets, NuGetVersion.Parse(version)), $"{range} should match {version}");
        }

        foreach (var version in misses.Split(' '))
        {
            Assert.False(NpmRange.Satisfies(sets, NuGetVersion.Parse(version)), $"{range} should not match {version}");
        }
    }

    [Theory]
    [InlineData("^^1")]
    [InlineData("1.2.3.4")]
    [InlineData(">=a")]
    [InlineData("01.2.3")]
    public void TryParse_NotARange_Refused(string text) => Assert.Null(NpmRange.TryParse(text));

    [Theory]
    [InlineData("latest", true)]
    [InlineData("next", true)]
    [InlineData("beta-2", true)]
    [InlineData("x", false)]
    [InlineData("v1", false)]
    [InlineData("^1", false)]
    public void IsTag_TagOrRange_TellsThemApart(string text, bool isTag) => Assert.Equal(isTag, NpmRange.IsTag(text));
}
