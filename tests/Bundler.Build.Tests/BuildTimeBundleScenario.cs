using System.Reflection;
using System.Text.Json;
using Bundler.Core.Download;
using Bundler.Core.Resolution.Locking;
using Bundler.Testing;

namespace Bundler.Build.Tests;

/// <summary>A project bundles a package set at build time; building again skips; a changed item re-runs; locked mode guards.</summary>
[Collection(PackedFeed.Name)]
public sealed class BuildTimeBundleScenario(PackagesFixture packages) : IDisposable
{
    private const string Items = """
        <BundleSource Include="local" Type="folder" Path="../archives" />
        <BundlePackage Include="alpha" Version="[1.0,2.0)" />
        <BundlePackage Include="beta" Version="2.0.0" />
        """;

    private readonly ScenarioProject _project = new(packages, Items);

    [Fact]
    public async Task Build_RepeatedAfterChanges_SkipsUnchangedRebundlesChangedAndLockedModeRefusesTampering()
    {
        TestArchives.Zip(Path.Combine(_project.Archives, "alpha.1.0.0.zip"), new ArchiveContent().Add("lib/alpha.txt", "alpha 1.0.0").Add("docs/readme.md", "read me"));
        TestArchives.Zip(Path.Combine(_project.Archives, "alpha.1.2.0.zip"), new ArchiveContent().Add("lib/alpha.txt", "alpha 1.2.0"));
        TestArchives.TarGz(Path.Combine(_project.Archives, "beta.2.0.0.tgz"), new ArchiveContent().Add("package/index.js", "module.exports = 2;").Add("package/test/index.test.js", "test"));

        // First build: the range picks the lowest matching version, as NuGet does; the bundle and lock file verify.
        var first = (await _project.BuildAsync("-v:d")).EnsureSuccess();
        Assert.Contains("Bundler: wrote " + _project.Bundle, first.Output, StringComparison.Ordinal);
        var manifest = await _project.VerifyBundleAsync();
        Assert.Equal(["alpha 1.0.0", "beta 2.0.0"], manifest.Packages.Select(p => $"{p.Id} {p.Version}"));
        Assert.Equal(["docs/readme.md", "lib/alpha.txt"], manifest.Packages[0].Files.Select(f => f.Path));
        using (var lockFile = JsonDocument.Parse(File.ReadAllText(_project.LockFile)))
        {
            var lockedPackages = lockFile.RootElement.GetProperty("packages").EnumerateArray().ToList();
            Assert.Equal(["alpha 1.0.0", "beta 2.0.0"], lockedPackages.Select(p => $"{p.GetProperty("id").GetString()} {p.GetProperty("version").GetString()}"));
            Assert.Equal(manifest.Packages[0].Archive.Integrity, lockedPackages[0].GetProperty("integrity").GetString());
            Assert.Equal("../archives/alpha.1.0.0.zip", lockedPackages[0].GetProperty("url").GetString());
        }

        // The task ran with its own NuGet.Versioning, from the package, though the SDK's MSBuild ships another version.
        var taskFolder = Path.Combine(packages.PackagesFolder, "bundler.build", packages.Version, "tasks", "net10.0");
        var ours = AssemblyName.GetAssemblyName(Path.Combine(taskFolder, "NuGet.Versioning.dll")).Version;
        Assert.Contains($"Bundler: using NuGet.Versioning {ours} (", first.Output, StringComparison.Ordinal);
        Assert.Contains($"from {Path.Combine(taskFolder, "NuGet.Versioning.dll")}", first.Output, StringComparison.Ordinal);
        var msbuildBinPath = first.Output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("msbuild-bin-path=", StringComparison.Ordinal))["msbuild-bin-path=".Length..];
        var sdks = AssemblyName.GetAssemblyName(Path.Combine(msbuildBinPath, "NuGet.Versioning.dll")).Version;
        Assert.NotEqual(sdks, ours);

        // Second build, nothing changed: the target is skipped, says so, and the bundle is not touched.
        var before = _project.BundleState();
        var second = (await _project.BuildAsync()).EnsureSuccess();
        Assert.Contains("Skipping target \"_BundlerWriteBundle\" because all output files are up-to-date", second.Output, StringComparison.Ordinal);
        Assert.Contains($"Bundler: {_project.Bundle} is up to date", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Bundler: wrote", second.Output, StringComparison.Ordinal);
        Assert.Equal(before, _project.BundleState());

        // A changed item re-runs the task, and the bundle reflects the change.
        _project.SetItems(Items.Replace("""Version="2.0.0" />""", """Version="2.0.0"><Exclude>package/test/**</Exclude></BundlePackage>""", StringComparison.Ordinal));
        var third = (await _project.BuildAsync()).EnsureSuccess();
        Assert.Contains("Bundler: wrote", third.Output, StringComparison.Ordinal);
        manifest = await _project.VerifyBundleAsync();
        Assert.Equal(["package/index.js"], manifest.Packages[1].Files.Select(f => f.Path));
        var afterChange = _project.BundleState();
        Assert.NotEqual(before.Sha256, afterChange.Sha256);

        // Locked mode: an archive whose bytes no longer match the lock file fails the build, and nothing is replaced.
        File.Delete(Path.Combine(_project.Archives, "alpha.1.0.0.zip"));
        TestArchives.Zip(Path.Combine(_project.Archives, "alpha.1.0.0.zip"), new ArchiveContent().Add("lib/alpha.txt", "tampered"));
        var locked = await _project.BuildAsync("-p:BundlerLockedMode=true");
        Assert.NotEqual(0, locked.ExitCode);
        Assert.Contains("error BNDL0009", locked.Output, StringComparison.Ordinal);
        Assert.Contains("~ local: alpha 1.0.0 (url, size, hash or options)", locked.Output, StringComparison.Ordinal);
        Assert.Equal(afterChange, _project.BundleState());
    }

    public void Dispose() => _project.Dispose();
}
