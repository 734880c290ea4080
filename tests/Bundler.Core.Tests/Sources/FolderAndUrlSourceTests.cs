using System.Security.Cryptography;
using Bundler.Core.Download;
using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Format;
using Bundler.Testing;
using Bundler.Testing.Sources;

namespace Bundler.Core.Tests.Sources;

/// <summary>The folder and urls sources, which need no server.</summary>
public sealed class FolderAndUrlSourceTests : IDisposable
{
    private readonly PackageSetHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Folder_VersionRange_PicksTheArchiveAndHashesIt()
    {
        Directory.CreateDirectory(_harness.Temp["archives"]);
        TestArchives.Zip(_harness.Temp["archives/Some.Lib.1.0.0.nupkg"], ArchiveContent.Sample("a"));
        TestArchives.Zip(_harness.Temp["archives/Some.Lib.2.1.0.nupkg"], ArchiveContent.Sample("b"));
        TestArchives.TarGz(_harness.Temp["archives/left-pad.1.3.0.tgz"], ArchiveContent.Sample("c"));

        var set = await _harness.ResolveAsync("""
            {
              "sources": { "disk": { "type": "folder", "path": "archives" } },
              "packages": [ { "source": "disk", "id": "some.lib", "version": "[1.0, 2.0)" }, { "source": "disk", "id": "left-pad", "keepArchive": true } ]
            }
            """);

        Assert.Equal(["left-pad 1.3.0", "Some.Lib 1.0.0"], PackageSetHarness.Names(set));
        var lib = set.Packages[1];
        Assert.Equal(new Uri(_harness.Temp["archives/Some.Lib.1.0.0.nupkg"]), lib.ArchiveUrl);
        Assert.Equal("sha512-" + Convert.ToBase64String(SHA512.HashData(File.ReadAllBytes(_harness.Temp["archives/Some.Lib.1.0.0.nupkg"]))), lib.Integrity);
        Assert.True(set.Packages[0].KeepArchive);
    }

    [Fact]
    public async Task Folder_ResolvedSet_BundlesThroughTheWriter()
    {
        Directory.CreateDirectory(_harness.Temp["archives"]);
        TestArchives.Zip(_harness.Temp["archives/Some.Lib.1.0.0.nupkg"], ArchiveContent.Sample("a"));
        var set = await _harness.ResolveAsync("""
            {
              "sources": { "disk": { "type": "folder", "path": "archives" } },
              "packages": [ { "source": "disk", "id": "Some.Lib", "exclude": ["**/*.xml"] } ]
            }
            """);

        var inputs = set.Packages.Select(p => Bundler.Core.Resolution.ResolvedPackageInput.From(p, p.ArchiveUrl.LocalPath, verifiedIntegrity: null)).ToList();
        var result = await BundleWriter.WriteAsync(inputs, _harness.Temp["out.tar.zst"]);

        var package = Assert.Single(result.Manifest.Packages);
        Assert.Equal(("Some.Lib", "1.0.0", "disk"), (package.Id, package.Version, package.Source));
        Assert.DoesNotContain(package.Files, f => f.Path.EndsWith(".xml", StringComparison.Ordinal));
        Assert.NotEmpty(package.Files);
    }

    [Fact]
    public async Task Folder_WithoutAMatchingVersion_FailsNamingTheEntry()
    {
        Directory.CreateDirectory(_harness.Temp["archives"]);
        TestArchives.Zip(_harness.Temp["archives/Some.Lib.1.0.0.nupkg"], ArchiveContent.Sample("a"));

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync("""
            {
              "sources": { "disk": { "type": "folder", "path": "archives" } },
              "packages": [
                { "source": "disk", "id": "Some.Lib", "version": "[3.0]" }
              ]
            }
            """));

        Assert.StartsWith($"{_harness.BundleJson}:4:", error.Message, StringComparison.Ordinal);
        Assert.Contains("no archive of 'Some.Lib' in folder source 'disk'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Urls_SameVersionFromOneOrTwoSources_TakenAsWrittenOrRefused()
    {
        const string Entry = """{ "source": "SOURCE", "id": "tool", "version": "1.0", "url": "https://example.test/tool-1.0.zip", "integrity": "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "size": 0 }""";
        var set = await _harness.ResolveAsync($$"""
            { "sources": { "web": { "type": "urls" } }, "packages": [ {{Entry.Replace("SOURCE", "web", StringComparison.Ordinal)}} ] }
            """);

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync($$"""
            { "sources": { "web": { "type": "urls" }, "mirror": { "type": "urls" } },
              "packages": [ {{Entry.Replace("SOURCE", "web", StringComparison.Ordinal)}}, {{Entry.Replace("SOURCE", "mirror", StringComparison.Ordinal)}} ] }
            """));

        var tool = Assert.Single(set.Packages);
        Assert.Equal(("tool", "1.0.0", SourceKind.Urls, 0L), (tool.Id, tool.Version, tool.SourceKind, tool.Size!.Value));
        Assert.Equal("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", tool.Integrity);
        Assert.Contains("tool 1.0.0 comes from both 'mirror' and 'web'", error.Message, StringComparison.Ordinal);
    }
}
