using System.Diagnostics;
using System.Xml.Linq;
using Bundler.Comparison.Report;
using Bundler.Serving;
using Bundler.Serving.Network;
using Bundler.Testing;

namespace Bundler.Comparison.Tests.Report;

/// <summary>The comparison report: a self-contained page whose waterfalls draw every request the server saw.</summary>
[Collection(TimingSensitive.Name)]
public sealed class HtmlReportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Render_MeasuredRuns_IsSelfContainedWithOneBarPerRequest()
    {
        var report = await MeasureAsync();

        var html = HtmlReport.Render(report);
        var document = XDocument.Parse(html);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(document.Descendants().Attributes(), a => a.Name.LocalName is "src" or "href");
        var svg = (XNamespace)"http://www.w3.org/2000/svg";
        var waterfalls = document.Descendants(svg + "svg").Where(e => (string?)e.Attribute("class") == "waterfall").ToList();
        var medianRuns = report.Scenarios.SelectMany(s => s.Modes).Select(m => m.MedianRun).ToList();
        Assert.Equal(medianRuns.Count, waterfalls.Count);
        for (var i = 0; i < waterfalls.Count; i++)
        {
            var bars = waterfalls[i].Elements(svg + "g").Where(g => (string?)g.Attribute("class") == "request").ToList();
            Assert.Equal(medianRuns[i].Requests, bars.Count);
            Assert.All(bars, bar => Assert.NotEmpty(bar.Elements(svg + "rect")));
        }

        var wallTimes = document.Descendants(svg + "g").Count(g => (string?)g.Attribute("class") == "wall-time");
        Assert.Equal(report.Scenarios.Sum(s => s.Modes.Count), wallTimes);
        Assert.Contains("files", document.Descendants("td").Select(td => td.Value));
    }

    [Fact]
    public async Task Waterfall_MeasuredRun_RowsFollowTheServerLog()
    {
        var report = await MeasureAsync();

        var files = report.Scenarios[0].Modes.Single(m => m.Mode == "files").MedianRun;

        Assert.Equal(8, files.Waterfall.Count);
        Assert.All(files.Waterfall, row =>
        {
            Assert.True(row.Start >= TimeSpan.Zero && row.FirstByte >= row.Start + TimeSpan.FromMilliseconds(15), $"{row.Label} waited {row.FirstByte - row.Start}");
            Assert.True(row.End >= row.FirstByte && row.Unpacked >= row.End);
        });
        Assert.Equal(files.Wall, files.Waterfall.Max(r => r.Unpacked));
    }

    [ToolFact("chromium")]
    public async Task Render_InHeadlessChromium_GivesNoConsoleErrors()
    {
        var page = _temp["report.html"];
        await File.WriteAllTextAsync(page, HtmlReport.Render(await MeasureAsync()));
        var screenshot = Path.Combine(TestArtifacts.Folder, "compare-report.png");

        var console = await HeadlessChromium.ScreenshotAsync(page, screenshot);

        Assert.Empty(console);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot should show a rendered report");
    }

    [ToolFact("chromium")]
    public async Task HeadlessChromium_PageLoggingAnError_ReportsIt()
    {
        var page = _temp["broken.html"];
        await File.WriteAllTextAsync(page, "<!DOCTYPE html><html><body><script>console.error('broken page')</script></body></html>");

        var console = await HeadlessChromium.ScreenshotAsync(page, _temp["broken.png"]);

        Assert.Contains(console, line => line.Contains("broken page", StringComparison.Ordinal));
    }

    /// <summary>Two modes, two runs each, against the real server: eight files in parallel, or one bundle.</summary>
    private async Task<ComparisonReport> MeasureAsync()
    {
        Directory.CreateDirectory(_temp["site/files"]);
        for (var i = 0; i < 8; i++)
        {
            await File.WriteAllBytesAsync(_temp[$"site/files/pkg{i}.tgz"], new byte[20_000 + (i * 5_000)]);
        }

        await File.WriteAllBytesAsync(_temp["site/bundle.tar.zst"], new byte[150_000]);
        var log = new List<ServedRequest>();
        var network = new NetworkProfile("test", TimeSpan.FromMilliseconds(20), 4_000_000, null, null);
        await using var server = await StaticFileServer.StartAsync(_temp["site"], new StaticFileServerOptions { Network = network }, r => { lock (log) { log.Add(r); } }, CancellationToken.None);
        var runs = new List<ComparisonRun>();
        for (var round = 0; round < 2; round++)
        {
            runs.Add(await RunAsync("files", Enumerable.Range(0, 8).Select(i => $"files/pkg{i}.tgz").ToArray()));
            runs.Add(await RunAsync("bundle", ["bundle.tar.zst"]));
        }

        return new ComparisonReport("test set", 8, 150_000, 180_000 + (28 * 5_000), 2, DateTimeOffset.UnixEpoch, [new ComparisonScenario(network, "HTTP/1.1", runs)]);

        async Task<ComparisonRun> RunAsync(string mode, string[] paths)
        {
            lock (log)
            {
                log.Clear();
            }

            using var client = new HttpClient();
            var start = server.Elapsed;
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(paths.Select(p => client.GetByteArrayAsync(new Uri(server.Http1Url!, p))));
            var wall = stopwatch.Elapsed;
            // The server logs a request when its handler returns, which can be a moment after the client has the body.
            await server.WaitUntilIdleAsync(CancellationToken.None);
            List<ServedRequest> requests;
            lock (log)
            {
                requests = [.. log];
            }

            return new ComparisonRun(mode, wall, requests.Sum(r => r.Bytes), requests.Count, requests.Select(r => r.Connection).Distinct().Count(),
                WaterfallBuilder.FromServerLog(requests, start, wall));
        }
    }
}
