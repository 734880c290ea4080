using Bundler.Testing.Download;

namespace Bundler.Cli.Tests.Commands;

public sealed class DownloadCommandTests
{
    [Fact]
    public async Task Download_UrlList_WritesFilesAndSecondRunUsesCache()
    {
        await using var site = await DownloadSite.StartAsync(new Dictionary<string, int> { ["a.bin"] = 200_000, ["b.bin"] = 5_000 });
        var list = site["urls.txt"];
        await File.WriteAllLinesAsync(list, [
            "# archives",
            $"{site.Server.Url("a.bin")} {DownloadSite.Sri(site.Files["a.bin"])} 200000",
            $"{site.Server.Url("b.bin")}",
        ]);
        string[] args = ["download", "--urls", list, "-o", site["out"], "--cache", site.Cache, "-j", "4", "--progress", "plain"];

        var (code, output, error) = await RunAsync(args);
        site.Server.ClearLog();
        var (secondCode, secondOutput, _) = await RunAsync(args);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("downloaded 2/2 files", output, StringComparison.Ordinal);
        Assert.Equal(site.Files["a.bin"], await File.ReadAllBytesAsync(site["out/a.bin"]));
        Assert.Equal(site.Files["b.bin"], await File.ReadAllBytesAsync(site["out/b.bin"]));
        Assert.Equal(0, secondCode);
        Assert.Contains("(2 from the cache)", secondOutput, StringComparison.Ordinal);
        Assert.Empty(site.Server.Requests);
    }

    [Fact]
    public async Task Download_Json_ListsEveryArchiveWithItsCachePathAndRequests()
    {
        await using var site = await DownloadSite.StartAsync(new Dictionary<string, int> { ["a.bin"] = 20_000, ["b.bin"] = 5_000 });
        var list = site["urls.txt"];
        await File.WriteAllLinesAsync(list, [site.Server.Url("a.bin").ToString(), site.Server.Url("b.bin").ToString()]);

        var (code, output, _) = await RunAsync(["download", "--urls", list, "--cache", site.Cache, "--json"]);

        Assert.Equal(0, code);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var files = json.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal([site.Server.Url("a.bin").AbsoluteUri, site.Server.Url("b.bin").AbsoluteUri], files.Select(f => f.GetProperty("url").GetString()));
        Assert.All(files, f => Assert.True(File.Exists(f.GetProperty("path").GetString())));
        Assert.Equal(20_000, files[0].GetProperty("size").GetInt64());
        Assert.All(files, f => Assert.Equal(1, f.GetProperty("requests").GetInt32()));
        Assert.StartsWith("sha512-", files[1].GetProperty("integrity").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_MissingUrl_ExitsOneNamingItAndWritesNothing()
    {
        await using var site = await DownloadSite.StartAsync("a.bin", 1000);
        var list = site["urls.txt"];
        var missing = site.Server.Url("missing.bin");
        await File.WriteAllLinesAsync(list, [site.Server.Url("a.bin").ToString(), missing.ToString()]);

        var (code, _, error) = await RunAsync(["download", "--urls", list, "-o", site["out"], "--cache", site.Cache, "--progress", "none"]);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains(missing.ToString(), error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(site["out"]));
    }

    [Fact]
    public async Task Download_BadConcurrency_IsAUsageError()
    {
        await using var site = await DownloadSite.StartAsync("a.bin", 10);
        await File.WriteAllLinesAsync(site["urls.txt"], [site.Server.Url("a.bin").ToString()]);

        var (code, _, error) = await RunAsync(["download", "--urls", site["urls.txt"], "--cache", site.Cache, "-j", "lots"]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--concurrency 'lots'", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
