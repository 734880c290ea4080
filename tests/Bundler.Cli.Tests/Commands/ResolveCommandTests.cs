using System.Text.Json;
using Bundler.Testing;
using Bundler.Testing.Feeds;
using Bundler.Testing.Http;

namespace Bundler.Cli.Tests.Commands;

/// <summary><c>resolve</c> end to end: the table, <c>--json</c>, bundle.lock.json and <c>--locked</c>.</summary>
public sealed class ResolveCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Lock => _temp["bundle.lock.json"];

    private string WriteBundleJson(LoopbackServer server, string version = "*")
    {
        File.WriteAllText(_temp["bundle.json"], $$"""
            {
              "sources": {
                "web": { "type": "urls" },
                "feed": { "type": "nuget", "url": "{{NuGetTestFeed.ServiceIndex(server)}}", "targetFramework": "net8.0", "transitive": true }
              },
              "packages": [
                { "source": "web", "id": "tool", "version": "1.0", "url": "https://example.test/tool.zip", "size": 3 },
                { "source": "feed", "id": "b.second", "version": "{{version}}" },
                { "source": "feed", "id": "A.First", "version": "1.0.0", "exclude": ["**/*.xml"] }
              ]
            }
            """);
        return _temp["bundle.json"];
    }

    private static NuGetTestFeed Feed() => new NuGetTestFeed()
        .Add("A.First", "1.0.0", new TestDependency("C.Dep", "1.0.0"))
        .Add("b.second", "1.0.0")
        .Add("C.Dep", "1.0.0");

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Resolve_RunTwice_WritesASortedLockThenKeepsItWithoutAskingTheFeed()
    {
        await using var server = await Feed().StartAsync();
        var bundleJson = WriteBundleJson(server);

        var first = await RunAsync("resolve", bundleJson);
        var lockBytes = await File.ReadAllBytesAsync(Lock);
        server.ClearLog();
        var second = await RunAsync("resolve", bundleJson);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("C.Dep (dependency)", first.Output, StringComparison.Ordinal);
        Assert.Contains("4 packages (3 named, 1 dependencies). Wrote", first.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(lockBytes);
        var packages = json.RootElement.GetProperty("packages").EnumerateArray().ToList();
        Assert.Equal(["feed A.First", "feed b.second", "feed C.Dep", "web tool"],
            packages.Select(p => p.GetProperty("source").GetString() + " " + p.GetProperty("id").GetString()));
        Assert.Equal(server.Url("v3/flat/c.dep/1.0.0/c.dep.1.0.0.nupkg").AbsoluteUri, packages[2].GetProperty("url").GetString());
        Assert.Equal("**/*.xml", packages[0].GetProperty("exclude")[0].GetString());
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("is up to date", second.Output, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
        Assert.Equal(lockBytes, await File.ReadAllBytesAsync(Lock));
    }

    [Fact]
    public async Task Resolve_LockedAndANewVersionOnTheFeed_FailsWhereUnchangedPassed()
    {
        var feed = Feed();
        await using var server = await feed.StartAsync();
        var bundleJson = WriteBundleJson(server);
        await RunAsync("resolve", bundleJson);
        var lockBytes = await File.ReadAllBytesAsync(Lock);

        var unchanged = await RunAsync("resolve", bundleJson, "--locked");
        feed.Add("b.second", "2.0.0");
        var changed = await RunAsync("resolve", bundleJson, "--locked");

        Assert.Equal(0, unchanged.ExitCode);
        Assert.Contains("is unchanged", unchanged.Output, StringComparison.Ordinal);
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains("--locked forbids updating it", changed.Error, StringComparison.Ordinal);
        Assert.Contains("- feed: b.second 1.0.0", changed.Error, StringComparison.Ordinal);
        Assert.Contains("+ feed: b.second 2.0.0", changed.Error, StringComparison.Ordinal);
        Assert.Equal(lockBytes, await File.ReadAllBytesAsync(Lock));
    }

    [Fact]
    public async Task Resolve_LockedWithoutALockOrAfterBundleJsonChanged_Fails()
    {
        await using var server = await Feed().StartAsync();
        var bundleJson = WriteBundleJson(server);

        var missing = await RunAsync("resolve", bundleJson, "--locked");
        await RunAsync("resolve", bundleJson);
        var lockBytes = await File.ReadAllBytesAsync(Lock);
        WriteBundleJson(server, "[1.0.0]");
        var stale = await RunAsync("resolve", bundleJson, "--locked");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist, and --locked forbids creating it", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains("changed since", stale.Error, StringComparison.Ordinal);
        Assert.Equal(lockBytes, await File.ReadAllBytesAsync(Lock));
    }

    [Fact]
    public async Task Resolve_ChangedBundleJson_ResolvesAgainAndRewritesTheLock()
    {
        var feed = Feed().Add("b.second", "2.0.0");
        await using var server = await feed.StartAsync();
        var bundleJson = WriteBundleJson(server);
        await RunAsync("resolve", bundleJson);

        WriteBundleJson(server, "[1.0.0]");
        var again = await RunAsync("resolve", bundleJson, "--json");

        Assert.Equal(0, again.ExitCode);
        using var json = JsonDocument.Parse(again.Output);
        Assert.Equal("written", json.RootElement.GetProperty("lock").GetString());
        Assert.Contains(json.RootElement.GetProperty("packages").EnumerateArray(), p => p.GetProperty("id").GetString() == "b.second" && p.GetProperty("version").GetString() == "1.0.0");
        Assert.Contains("\"version\": \"1.0.0\"", await File.ReadAllTextAsync(Lock), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_UnreachableFeed_LeavesTheLockAsItWasAndNoTemporaryFiles()
    {
        var server = await Feed().StartAsync();
        var bundleJson = WriteBundleJson(server);
        await RunAsync("resolve", bundleJson);
        var lockBytes = await File.ReadAllBytesAsync(Lock);
        WriteBundleJson(server, "[1.0.0]");
        await server.DisposeAsync();

        var result = await RunAsync("resolve", bundleJson);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: Source 'feed' is unreachable", result.Error, StringComparison.Ordinal);
        Assert.Equal(lockBytes, await File.ReadAllBytesAsync(Lock));
        Assert.Equal(["bundle.json", "bundle.lock.json"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Resolve_MalformedBundleJson_ExitsWithOneNamingFileAndLine()
    {
        await File.WriteAllTextAsync(_temp["bundle.json"], "{\n  \"sources\": {,\n}");

        var result = await RunAsync("resolve", _temp["bundle.json"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: {_temp["bundle.json"]}:2:", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Lock));
    }

    [Fact]
    public async Task Resolve_UnknownPackage_ExitsWithOneNamingPackageAndSource()
    {
        await using var server = await new NuGetTestFeed().Add("A.First", "1.0.0").StartAsync();
        var bundleJson = WriteBundleJson(server);

        var result = await RunAsync("resolve", bundleJson);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'b.second'", result.Error, StringComparison.Ordinal);
        Assert.Contains("source 'feed'", result.Error, StringComparison.Ordinal);
    }
}
