using Bundler.Loader.Http;

namespace Bundler.Loader.Tests.Http;

public sealed class HttpUrlsTests
{
    [Theory]
    [InlineData("https://example.test/a.tgz", null, "https://example.test/a.tgz")]
    [InlineData("HTTP://example.test/a.tgz", null, "http://example.test/a.tgz")]
    [InlineData("flat/", "https://example.test/v3/index.json", "https://example.test/v3/flat/")]
    [InlineData("ftp://example.test/a.tgz", null, null)]
    [InlineData("file:///tmp/a.tgz", null, null)]
    [InlineData("a.tgz", null, null)]
    [InlineData("", null, null)]
    [InlineData(null, null, null)]
    public void TryParse_AnyText_TakesOnlyAbsoluteHttpAndHttps(string? text, string? baseUrl, string? expected)
    {
        var parsed = HttpUrls.TryParse(text, out var url, baseUrl is null ? null : new Uri(baseUrl));

        Assert.Equal(expected is not null, parsed);
        Assert.Equal(expected, url?.AbsoluteUri);
    }
}
