using Bundler.Loader.Http;

namespace Bundler.Loader.Tests.Http;

public sealed class HttpRedirectPolicyTests
{
    [Theory]
    [InlineData("https://a.test/x", "http://b.test/x", "cleartext")]
    [InlineData("http://a.test/x", "file:///etc/passwd", "not an http")]
    [InlineData("http://a.test/x", "ftp://a.test:21/x", "not an http")]
    [InlineData("http://a.test/x", "gopher://a.test/x", "not an http")]
    public void RefusalOf_SchemeChange_Refused(string from, string to, string why) =>
        Assert.Contains(why, HttpRedirectPolicy.Default.RefusalOf(new Uri(from), new Uri(to), hop: 1), StringComparison.Ordinal);

    [Theory]
    [InlineData("http://a.test/x", "https://b.test/x")]
    [InlineData("https://a.test/x", "https://b.test/x")]
    [InlineData("http://a.test/x", "http://a.test/y")]
    public void RefusalOf_HttpOrUpgrade_Followed(string from, string to) =>
        Assert.Null(HttpRedirectPolicy.Default.RefusalOf(new Uri(from), new Uri(to), hop: 10));

    [Fact]
    public void RefusalOf_EleventhHop_Refused() =>
        Assert.Contains("more than 10 redirects", HttpRedirectPolicy.Default.RefusalOf(new Uri("http://a.test/"), new Uri("http://a.test/"), hop: 11), StringComparison.Ordinal);

    [Theory]
    [InlineData("Public", "Private", false)]
    [InlineData("Public", "Local", false)]
    [InlineData("Private", "Local", false)]
    [InlineData("Local", "Local", true)]
    [InlineData("Private", "Private", true)]
    [InlineData("Local", "Public", true)]
    public void RefusalOf_AddressSpaces_OnlyTowardsMorePublic(string from, string to, bool followed)
    {
        var (floor, target) = (Enum.Parse<NetworkAddressSpace>(from), Enum.Parse<NetworkAddressSpace>(to));
        Assert.Equal(followed, HttpRedirectPolicy.Default.RefusalOf(floor, target, new Uri("http://t.test/")) is null);
        Assert.Null(new HttpRedirectPolicy { AllowPrivateNetworkRedirects = true }.RefusalOf(floor, target, new Uri("http://t.test/")));
    }
}
