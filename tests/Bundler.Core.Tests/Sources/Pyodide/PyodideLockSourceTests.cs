using Bundler.Core.Download;
using Bundler.Loader;
using Bundler.Testing.Feeds;
using Bundler.Testing.Sources;

namespace Bundler.Core.Tests.Sources.Pyodide;

/// <summary>The pyodide-lock source against a static wheel host on 127.0.0.1.</summary>
public sealed class PyodideLockSourceTests : IDisposable
{
    private readonly PackageSetHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private PyodideTestDistribution Distribution() => new PyodideTestDistribution(_harness.Temp["dist"])
        .Add("micropip", "0.8.0", "packaging")
        .Add("packaging", "24.1")
        .Add("Pillow", "10.2.0")
        .Add("matplotlib", "3.5.2", "numpy", "python-dateutil", "pillow")
        .Add("numpy", "2.0.2")
        .Add("python-dateutil", "2.9.0", "six")
        .Add("six", "1.16.0");

    [Fact]
    public async Task Resolve_LockByUrl_TakesTheDependsClosureWithSha256KeptWhole()
    {
        var distribution = Distribution();
        await using var server = await distribution.StartAsync();

        var set = await _harness.ResolveAsync($$"""
            {
              "sources": { "py": { "type": "pyodide-lock", "lock": "{{server.Url("pyodide-lock.json")}}" } },
              "packages": [ { "source": "py", "id": "Matplotlib", "version": "3.5.2" }, { "source": "py", "id": "micropip" } ]
            }
            """);

        Assert.Equal(["matplotlib 3.5.2", "micropip 0.8.0", "numpy 2.0.2", "packaging 24.1", "Pillow 10.2.0", "python-dateutil 2.9.0", "six 1.16.0"],
            PackageSetHarness.Names(set));
        var six = set.Packages.Single(p => p.Id == "six");
        Assert.Equal(server.Url("six-1.16.0-py3-none-any.whl"), six.ArchiveUrl);
        Assert.Equal("sha256-" + Convert.ToBase64String(Convert.FromHexString(distribution.Sha256("six-1.16.0-py3-none-any.whl"))), six.Integrity);
        Assert.All(set.Packages, p => Assert.True(p.KeepArchive));
        Assert.False(six.Direct);
        Assert.Equal(1, server.CountPath("/pyodide-lock.json"));
    }

    [Fact]
    public async Task Resolve_LocalLockWithBaseUrlNotTransitive_TakesOnlyWhatIsNamed()
    {
        Distribution();

        var set = await _harness.ResolveAsync($$"""
            {
              "sources": { "py": { "type": "pyodide-lock", "lock": "dist/pyodide-lock.json", "baseUrl": "https://cdn.example.test/pyodide/v0.27.0/full", "transitive": false, "keepArchive": false } },
              "packages": [ { "source": "py", "id": "python_dateutil" } ]
            }
            """);

        var package = Assert.Single(set.Packages);
        Assert.Equal("python-dateutil", package.Id);
        Assert.Equal("https://cdn.example.test/pyodide/v0.27.0/full/python_dateutil-2.9.0-py3-none-any.whl", package.ArchiveUrl.AbsoluteUri);
        Assert.False(package.KeepArchive);
    }

    [Theory]
    [InlineData("scipy", null, "Package 'scipy' is not in the pyodide-lock.json of source 'py'")]
    [InlineData("numpy", "[1.0, 2.0)", "source 'py' has numpy 2.0.2, which does not satisfy '[1.0, 2.0)'")]
    public async Task Resolve_MissingOrUnsatisfiedPackage_FailsNamingPackageAndSource(string id, string? version, string expected)
    {
        Distribution();
        var versionMember = version is null ? "" : $", \"version\": \"{version}\"";

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync($$"""
            {
              "sources": { "py": { "type": "pyodide-lock", "lock": "dist/pyodide-lock.json", "baseUrl": "https://cdn.example.test/" } },
              "packages": [ { "source": "py", "id": "{{id}}"{{versionMember}} } ]
            }
            """));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_FileNameLeavingTheBaseUrl_Refused()
    {
        Distribution();
        var lockPath = _harness.Temp["dist/pyodide-lock.json"];
        await File.WriteAllTextAsync(lockPath, (await File.ReadAllTextAsync(lockPath)).Replace("\"six-1.16.0-py3-none-any.whl\"", "\"../../evil.whl\"", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync("""
            {
              "sources": { "py": { "type": "pyodide-lock", "lock": "dist/pyodide-lock.json", "baseUrl": "https://cdn.example.test/a/" } },
              "packages": [ { "source": "py", "id": "six" } ]
            }
            """));

        Assert.Contains("file_name '../../evil.whl', which leaves the base URL", error.Message, StringComparison.Ordinal);
    }
}
