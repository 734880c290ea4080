using Bundler.Core.Download;
using Bundler.Core.Sources.Urls;
using Bundler.Loader;
using Bundler.Testing;

namespace Bundler.Core.Tests.Sources;

public sealed class UrlListFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ReadAsync_CommentsBlanksHashesAndSizes_ReadsOneRequestPerUrl()
    {
        var path = _temp["urls.txt"];
        await File.WriteAllLinesAsync(path,
        [
            "# archives",
            "",
            "https://example.test/a.tgz",
            "  https://example.test/b.whl sha256-AAAA 1234  # trailing comment",
            "https://example.test/c.zip 99 sha512-BBBB",
        ]);

        var requests = await UrlListFile.ReadAsync(path, CancellationToken.None);

        Assert.Equal(
            [
                new DownloadRequest(new Uri("https://example.test/a.tgz")),
                new DownloadRequest(new Uri("https://example.test/b.whl"), "sha256-AAAA", 1234),
                new DownloadRequest(new Uri("https://example.test/c.zip"), "sha512-BBBB", 99),
            ],
            requests);
    }

    [Fact]
    public async Task ReadAsync_RelativeUrl_ThrowsNamingFileAndLine()
    {
        var path = _temp["urls.txt"];
        await File.WriteAllLinesAsync(path, ["https://example.test/a.tgz", "b.tgz"]);

        var error = await Assert.ThrowsAsync<BundleException>(() => UrlListFile.ReadAsync(path, CancellationToken.None));

        Assert.Equal($"{path}:2: 'b.tgz' is not an absolute URL.", error.Message);
    }

    [Fact]
    public async Task ReadAsync_MissingFile_ThrowsNamingIt()
    {
        var path = _temp["missing.txt"];

        var error = await Assert.ThrowsAsync<BundleException>(() => UrlListFile.ReadAsync(path, CancellationToken.None));

        Assert.Equal($"The URL list {path} does not exist.", error.Message);
    }
}
