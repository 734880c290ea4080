using Bundler.Core.Download;

namespace Bundler.Core.Tests.Download;

public sealed class DownloadExceptionTests
{
    private const string Hint = "Archives that did download are cached; running again fetches only the rest.";

    [Fact]
    public void Message_SeveralFailures_NamesEachUrlAndGivesTheHintOnce()
    {
        var error = new DownloadException([new DownloadException("GET https://a.test/a.zip failed"), new DownloadException("GET https://a.test/b.zip failed")]);

        Assert.Equal(
            string.Join(Environment.NewLine, "2 downloads failed:", "  GET https://a.test/a.zip failed", "  GET https://a.test/b.zip failed", Hint),
            error.Message);
    }

    [Fact]
    public void Message_OneFailure_IsItsMessageAndTheHint()
    {
        var error = new DownloadException([new DownloadException("GET https://a.test/a.zip failed")]);

        Assert.Equal("GET https://a.test/a.zip failed" + Environment.NewLine + Hint, error.Message);
    }
}
