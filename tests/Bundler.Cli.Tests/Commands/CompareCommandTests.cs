using System.Xml.Linq;
using Bundler.Testing;
using Bundler.Testing.Feeds;
using Bundler.Testing.Loading;

namespace Bundler.Cli.Tests.Commands;

/// <summary><c>compare</c> end to end: publishes a folder of archives, loads it in every mode on the local server, reports.</summary>
public sealed class CompareCommandTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Compare_PresetAndTwoProtocols_ComparesEveryModeAndWritesTheReport()
    {
        Directory.CreateDirectory(_temp["archives"]);
        var packages = SamplePackages.WriteAllKinds(_temp["archives"]).Count;
        var report = _temp["out/report.html"];

        var (exitCode, output, error) = await RunAsync("compare", _temp["archives"], "--preset", "lan", "--protocol", "h1", "h2", "--runs", "2", "--report", report);

        Assert.True(exitCode == 0, error);
        Assert.Contains("lan · HTTP/1.1", output, StringComparison.Ordinal);
        Assert.Contains("lan · HTTP/2", output, StringComparison.Ordinal);
        Assert.Contains("vs files", output, StringComparison.Ordinal);
        Assert.Contains("Report: " + report, output, StringComparison.Ordinal);
        Assert.Equal(12, output.Split('\n').Count(l => l.Contains(" run ", StringComparison.Ordinal) && l.Contains(" s, ", StringComparison.Ordinal)));

        var document = XDocument.Parse(await File.ReadAllTextAsync(report));
        var waterfalls = document.Descendants(Svg + "svg").Where(e => (string?)e.Attribute("class") == "waterfall").ToList();
        Assert.Equal(6, waterfalls.Count);
        var headings = document.Descendants("h3").Select(h => h.Value).ToList();
        for (var i = 0; i < waterfalls.Count; i++)
        {
            var bars = waterfalls[i].Elements(Svg + "g").Count(g => (string?)g.Attribute("class") == "request");
            // Every load reads the entry point (index.json) first.
            if (headings[i].StartsWith("bundle:", StringComparison.Ordinal))
            {
                Assert.Equal(2, bars);
            }
            else if (headings[i].StartsWith("files:", StringComparison.Ordinal))
            {
                Assert.Equal(packages + 2, bars);
            }
            else
            {
                Assert.StartsWith("ranges:", headings[i], StringComparison.Ordinal);
                Assert.True(bars >= 3, "ranges mode reads the entry point, the manifest, then frames");
            }
        }

        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), "bundler-compare-publish-*"));
    }

    [Fact]
    public async Task Compare_Tls_LoadsEveryScenarioOverHttpsTrustingOnlyItsOwnCertificate()
    {
        Directory.CreateDirectory(_temp["archives"]);
        SamplePackages.WriteAllKinds(_temp["archives"]);

        var (exitCode, output, error) = await RunAsync("compare", _temp["archives"], "--tls", "--preset", "lan", "--protocol", "h1", "h2", "--mode", "bundle", "files", "--runs", "1", "--report", _temp["report.html"]);

        Assert.True(exitCode == 0, error);
        Assert.Contains("lan · HTTP/1.1 + TLS", output, StringComparison.Ordinal);
        Assert.Contains("lan · HTTP/2 + TLS", output, StringComparison.Ordinal);
        Assert.Equal(4, output.Split('\n').Count(l => l.Contains(" + TLS ", StringComparison.Ordinal) && l.Contains(" run 1/1: ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Compare_BundleJson_ComparesTheResolvedPackageSet()
    {
        await using var feed = await new NuGetTestFeed().Add("A.First", "1.0.0", new TestDependency("C.Dep", "1.0.0")).Add("C.Dep", "1.0.0").StartAsync();
        Directory.CreateDirectory(_temp["set"]);
        await File.WriteAllTextAsync(_temp["set/bundle.json"], $$"""
            { "sources": { "feed": { "type": "nuget", "url": "{{NuGetTestFeed.ServiceIndex(feed)}}", "targetFramework": "net8.0", "transitive": true } },
              "packages": [ { "source": "feed", "id": "A.First", "version": "1.0.0" } ] }
            """);
        var report = _temp["report.html"];

        var (exitCode, output, error) = await RunAsync("compare", _temp["set/bundle.json"], "--preset", "lan", "--protocol", "h1", "--mode", "bundle", "files", "--runs", "1", "--report", report);

        Assert.True(exitCode == 0, error);
        Assert.True(File.Exists(_temp["set/bundle.lock.json"]));
        var headings = XDocument.Parse(await File.ReadAllTextAsync(report)).Descendants("h3").Select(h => h.Value).ToList();
        Assert.Equal(2, headings.Count);
        Assert.StartsWith("files: ", headings.Single(h => h.StartsWith("files", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("4 requests", headings.Single(h => h.StartsWith("files", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task Compare_ClientBrowser_TimesTheBrowserLoaderBesideTheDotNetOneOverH2()
    {
        Directory.CreateDirectory(_temp["archives"]);
        var packages = SamplePackages.WriteAllKinds(_temp["archives"]).Count;
        var report = _temp["report.html"];

        var (exitCode, output, error) = await RunAsync("compare", _temp["archives"], "--client", "dotnet", "browser", "--tls", "--preset", "lan", "--protocol", "h2", "--mode", "bundle", "files", "--runs", "1", "--report", report, "--json");

        Assert.True(exitCode == 0, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var rows = json.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("mode").GetString()!);
        Assert.Equal(["bundle", "bundle (browser)", "files", "files (browser)"], rows.Keys.Order(StringComparer.Ordinal));
        // The browser moved what the .NET loader moved, in as many requests, on one h2 connection.
        foreach (var mode in new[] { "bundle", "files" })
        {
            var (dotnet, browser) = (rows[mode], rows[mode + " (browser)"]);
            Assert.Equal(dotnet.GetProperty("bytes").GetInt64(), browser.GetProperty("bytes").GetInt64());
            Assert.Equal(dotnet.GetProperty("requests").GetInt32(), browser.GetProperty("requests").GetInt32());
            Assert.Equal(1, browser.GetProperty("connections").GetInt32());
            Assert.True(browser.GetProperty("median").GetDouble() > 0);
        }

        // Files mode asks for the manifest and each original archive where bundle mode asks for the one bundle.
        Assert.Equal(packages, rows["files (browser)"].GetProperty("requests").GetInt32() - rows["bundle (browser)"].GetProperty("requests").GetInt32());
        var headings = XDocument.Parse(await File.ReadAllTextAsync(report)).Descendants("h3").Select(h => h.Value).ToList();
        Assert.Equal(4, headings.Count);
        Assert.Equal(2, headings.Count(h => h.Contains("browser", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Compare_ClientBrowserOverH2WithoutTls_IsRefusedSayingWhy()
    {
        Directory.CreateDirectory(_temp["archives"]);
        SamplePackages.WriteAllKinds(_temp["archives"]);

        var (exitCode, _, error) = await RunAsync("compare", _temp["archives"], "--client", "browser", "--preset", "lan", "--protocol", "h2", "--runs", "1", "--report", _temp["report.html"]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("HTTP/2 only over TLS", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp["report.html"]));
    }

    [Fact]
    public async Task Compare_Json_GivesOneRowPerScenarioAndMode()
    {
        Directory.CreateDirectory(_temp["archives"]);
        SamplePackages.WriteAllKinds(_temp["archives"]);

        var (exitCode, output, error) = await RunAsync("compare", _temp["archives"], "--preset", "lan", "--protocol", "h1", "--mode", "bundle", "files", "--runs", "1", "--report", _temp["r.html"], "--json");

        Assert.True(exitCode == 0, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var rows = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["bundle", "files"], rows.Select(r => r.GetProperty("mode").GetString()));
        Assert.All(rows, r => Assert.Equal("lan", r.GetProperty("preset").GetString()));
        Assert.Equal(1.0, rows[1].GetProperty("speedupOverFiles").GetDouble(), 3);
        Assert.Equal(2, rows[0].GetProperty("requests").GetInt32());
        // lan: 1 ms and 1000 Mbit/s, so the floor is a millisecond plus the bytes at 125 MB/s.
        Assert.All(rows, r => Assert.Equal(0.001 + (r.GetProperty("bytes").GetInt64() / 125_000_000.0), r.GetProperty("linkLimit").GetDouble(), tolerance: 1e-6));
        Assert.True(File.Exists(json.RootElement.GetProperty("report").GetString()));
    }

    [Fact]
    public async Task Compare_UpdateFrom_RunsEachModeAsAnUpdateThatFetchesOnlyTheChangedPackage()
    {
        Directory.CreateDirectory(_temp["old"]);
        Directory.CreateDirectory(_temp["new"]);
        for (var i = 0; i < 6; i++)
        {
            TestArchives.Zip(_temp[$"old/Package.{i}.1.0.0.nupkg"], ArchiveContent.Sample($"Package.{i}", i));
            TestArchives.Zip(_temp[$"new/Package.{i}.1.0.0.nupkg"], ArchiveContent.Sample($"Package.{i}", i == 4 ? 40 : i));
        }

        var (exitCode, output, error) = await RunAsync("compare", _temp["new"], "--update-from", _temp["old"], "--preset", "lan", "--protocol", "h1", "--runs", "1", "--report", _temp["r.html"], "--json");

        Assert.True(exitCode == 0, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var rows = json.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("mode").GetString()!);
        Assert.Equal(["bundle", "files", "ranges", "bundle update", "files update", "ranges update"], rows.Keys);
        Assert.Equal(3, rows["files update"].GetProperty("requests").GetInt32());
        foreach (var mode in new[] { "bundle", "files", "ranges" })
        {
            var cold = rows[mode].GetProperty("bytes").GetInt64();
            var update = rows[mode + " update"].GetProperty("bytes").GetInt64();
            Assert.True(update * 3 < cold, $"{mode}: the update served {update} bytes, a cold load {cold}");
        }

        Assert.Equal(1.0, rows["files update"].GetProperty("speedupOverFiles").GetDouble(), 3);
        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), "bundler-compare-publish-*"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Compare_PublishFolder_LoadsItThroughItsEntryPointOrItsOldNames(bool legacyLayout)
    {
        Directory.CreateDirectory(_temp["archives"]);
        var packages = SamplePackages.WriteAllKinds(_temp["archives"]);
        if (legacyLayout)
        {
            await LegacyPublishFolder.WriteAsync(packages.Select(p => p.Input), _temp["site"]);
        }
        else
        {
            Assert.Equal(0, (await RunAsync("pack", "--from-dir", _temp["archives"], "--publish", _temp["site"])).ExitCode);
        }

        var (exitCode, output, error) = await RunAsync("compare", _temp["site"], "--preset", "lan", "--protocol", "h1", "--mode", "bundle", "files", "--runs", "1", "--report", _temp["r.html"], "--json");

        Assert.True(exitCode == 0, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var rows = json.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("mode").GetString()!);
        Assert.Equal(2, rows["bundle"].GetProperty("requests").GetInt32());
        Assert.Equal(packages.Count + 2, rows["files"].GetProperty("requests").GetInt32());
    }

    [Fact]
    public async Task Compare_NoInput_LoadsTheGeneratedSampleSetAndCleansUp()
    {
        var before = Directory.GetDirectories(Path.GetTempPath(), "bundler-compare-*");

        var (exitCode, output, error) = await RunAsync("compare", "--preset", "lan", "--protocol", "h1", "--mode", "files", "--runs", "1", "--report", _temp["r.html"], "--json");

        Assert.True(exitCode == 0, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var files = json.RootElement.GetProperty("results").EnumerateArray().Single();
        Assert.Equal(42, files.GetProperty("requests").GetInt32());
        Assert.Equal(before.Order(), Directory.GetDirectories(Path.GetTempPath(), "bundler-compare-*").Order());
    }

    [Fact]
    public async Task Compare_MissingInput_FailsNamingItAndWritesNoReport()
    {
        var missing = _temp["nope"];

        var (exitCode, _, error) = await RunAsync("compare", missing, "--report", _temp["report.html"]);

        Assert.Equal(1, exitCode);
        Assert.Contains(missing, error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp["report.html"]));
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}
