using Bundler.Core.Download;
using Bundler.Core.PackageSets;
using Bundler.Loader;
using Bundler.Testing;

namespace Bundler.Core.Tests.PackageSets;

/// <summary>bundle.json parsing: what is accepted, and errors that point at file, line and column.</summary>
public sealed class PackageSetParserTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<PackageSet> LoadAsync(string json)
    {
        await File.WriteAllTextAsync(_temp["bundle.json"], json);
        return await PackageSetParser.LoadAsync(_temp["bundle.json"], CancellationToken.None);
    }

    private async Task<string> ErrorAsync(string json) =>
        (await Assert.ThrowsAsync<BundleException>(() => LoadAsync(json))).Message;

    [Fact]
    public async Task Load_AllSourceKinds_ReadWithPathsRelativeToTheFile()
    {
        var set = await LoadAsync("""
            {
              "$schema": "../docs/bundle.schema.json",
              // comments and trailing commas are allowed
              "sources": {
                "nuget": { "type": "nuget", "url": "https://api.nuget.org/v3/index.json", "targetFramework": "net8.0", "transitive": true },
                "corp": { "type": "nuget", "config": "nuget.config" },
                "npm": { "type": "npm", "url": "https://registry.npmjs.org/", "transitive": true },
                "py": { "type": "pyodide-lock", "lock": "https://cdn.example/pyodide/v0.27.0/full/pyodide-lock.json" },
                "web": { "type": "urls" },
                "disk": { "type": "folder", "path": "archives" },
              },
              "packages": [
                { "source": "nuget", "id": "Newtonsoft.Json", "version": "[13.0.1, 14.0)", "include": ["lib/net6.0/**"] },
                { "source": "npm", "id": "react", "version": "^18.2 || ~17.0.1" },
                { "source": "npm", "id": "typescript", "version": "next" },
                { "source": "py", "id": "numpy" },
                { "source": "web", "id": "tool", "version": "1.2", "url": "https://example.com/tool.zip", "integrity": "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "size": 10 },
                { "source": "disk", "id": "local.thing", "keepArchive": true },
              ],
            }
            """);

        Assert.Equal(6, set.Sources.Count);
        Assert.Equal(Path.Combine(_temp.Path, "nuget.config"), set.Sources["corp"].ConfigPath);
        Assert.Equal(Path.Combine(_temp.Path, "archives"), set.Sources["disk"].FolderPath);
        Assert.Equal("https://cdn.example/pyodide/v0.27.0/full/", set.Sources["py"].BaseUrl!.AbsoluteUri);
        Assert.True(set.Sources["py"].KeepArchive);
        Assert.Equal("net8.0", set.Sources["nuget"].TargetFramework!.GetShortFolderName());
        Assert.Equal(2, set.Packages[1].Ranges.Count);
        Assert.Equal($"{_temp["bundle.json"]}:13:5", set.Packages[0].Location);
        Assert.StartsWith("sha256-", set.ContentHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_SyntaxError_FailsNamingFileLineAndColumn()
    {
        var message = await ErrorAsync("{\n  \"sources\": {},\n  \"packages\": [ { \"source\": \"a\" \"id\": \"b\" } ]\n}");

        Assert.StartsWith($"{_temp["bundle.json"]}:3:", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_UnknownMember_FailsNamingItsFileLineAndColumn()
    {
        var message = await ErrorAsync("""
            {
              "sources": { "a": { "type": "nuget", "url": "https://x.test/index.json" } },
              "packages": [ { "source": "a", "id": "b", "verison": "1.0.0" } ]
            }
            """);

        Assert.StartsWith($"{_temp["bundle.json"]}:3:", message, StringComparison.Ordinal);
        Assert.Contains("verison", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "source": "nope", "id": "b" }""", "names source 'nope', which \"sources\" does not define")]
    [InlineData("""{ "source": "a", "id": "b", "version": "[1.0" }""", "'[1.0' is not a NuGet version or range")]
    [InlineData("""{ "source": "a", "id": "b", "url": "https://x.test/b.zip" }""", "\"url\" is for packages of a urls source")]
    [InlineData("""{ "source": "n", "id": "b", "version": "^^1" }""", "is not an npm version range")]
    [InlineData("""{ "source": "u", "id": "b", "version": "1.*", "url": "https://x.test/b.zip" }""", "needs an exact version")]
    [InlineData("""{ "source": "u", "id": "b", "version": "1.0.0", "url": "https://x.test/b.zip", "integrity": "sha1-abc" }""", "is not sha512-, sha384-, sha256- or sha1-")]
    [InlineData("""{ "source": "u", "id": "b", "version": "1.0.0", "url": "ftp://x.test/b.zip" }""", "is not an absolute http:// or https:// URL")]
    public async Task Load_BadPackage_FailsPointingAtItsLine(string package, string expected)
    {
        var message = await ErrorAsync($$"""
            {
              "sources": {
                "a": { "type": "nuget", "url": "https://x.test/index.json" },
                "n": { "type": "npm", "url": "https://registry.x.test/" },
                "u": { "type": "urls" }
              },
              "packages": [
                {{package}}
              ]
            }
            """);

        Assert.StartsWith($"{_temp["bundle.json"]}:8:", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "type": "maven" }""", "has type 'maven'; use one of")]
    [InlineData("""{ "type": "nuget" }""", "needs exactly one of \"url\"")]
    [InlineData("""{ "type": "nuget", "url": "https://x.test/index.json", "transitive": true }""", "add \"targetFramework\"")]
    [InlineData("""{ "type": "nuget", "url": "https://x.test/index.json", "targetFramework": "banana" }""", "is not a target framework")]
    [InlineData("""{ "type": "npm", "url": "https://x.test/", "lock": "x.json" }""", "does not take \"lock\"")]
    [InlineData("""{ "type": "pyodide-lock", "lock": "pyodide-lock.json" }""", "needs \"baseUrl\"")]
    [InlineData("""{ "type": "project" }""", "project source 's' needs \"path\"")]
    [InlineData("""{ "type": "project", "path": "app.slnx", "keepArchive": true }""", "does not take \"keepArchive\"")]
    public async Task Load_BadSource_FailsPointingAtItsLine(string source, string expected)
    {
        var message = await ErrorAsync($$"""
            {
              "sources": {
                "s": {{source}}
              },
              "packages": [ { "source": "s", "id": "b" } ]
            }
            """);

        Assert.StartsWith($"{_temp["bundle.json"]}:3:", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_DuplicatePackage_RefusedAtItsLine()
    {
        var message = await ErrorAsync("""
            {
              "sources": { "a": { "type": "nuget", "url": "https://x.test/index.json" } },
              "packages": [ { "source": "a", "id": "B" },
                            { "source": "a", "id": "b" } ]
            }
            """);

        Assert.StartsWith($"{_temp["bundle.json"]}:4:", message, StringComparison.Ordinal);
        Assert.Contains("listed twice", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_MissingFile_FailsSayingItDoesNotExist()
    {
        var error = await Assert.ThrowsAsync<BundleException>(() => PackageSetParser.LoadAsync(_temp["none.json"], CancellationToken.None));

        Assert.Contains("none.json' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_ProjectSourceWithoutPackages_TakesEveryPackageWithThePathMadeAbsolute()
    {
        var set = await LoadAsync("""{ "sources": { "app": { "type": "project", "path": "src/app.slnx" } }, "packages": [] }""");

        Assert.Equal(SourceKind.Project, set.Sources["app"].Kind);
        Assert.Equal(_temp["src/app.slnx"], set.Sources["app"].ProjectPath);
        Assert.Empty(set.Packages);
    }

    [Fact]
    public async Task Load_EmptyPackagesWithoutProjectSource_Refused()
    {
        var message = await ErrorAsync("""{ "sources": { "a": { "type": "nuget", "url": "https://x.test/index.json" } }, "packages": [] }""");

        Assert.Contains("\"packages\" is empty", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_ProjectPackageWithVersion_RefusedSayingRestoreChoosesIt()
    {
        var message = await ErrorAsync("""{ "sources": { "app": { "type": "project", "path": "app.csproj" } }, "packages": [ { "source": "app", "id": "Deep", "version": "1.0.0" } ] }""");

        Assert.Contains("takes its version from restore", message, StringComparison.Ordinal);
    }
}
