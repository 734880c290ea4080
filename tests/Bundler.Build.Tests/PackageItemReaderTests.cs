using TaskItem = Microsoft.Build.Utilities.TaskItem;
using Bundler.Build.Diagnostics;
using Bundler.Build.Items;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Testing;
using Bundler.Testing.Feeds;

namespace Bundler.Build.Tests;

/// <summary>How BundlePackage and BundleSource items map onto packages, and how bad items are refused.</summary>
public sealed class PackageItemReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public PackageItemReaderTests()
    {
        Directory.CreateDirectory(_temp["archives"]);
        foreach (var version in new[] { "1.0.0", "1.2.0", "1.10.0-beta.1", "2.0.0" })
        {
            TestArchives.Zip(_temp[$"archives/Alpha.{version}.zip"], new ArchiveContent().Add("a.txt", version));
        }
    }

    [Theory]
    [InlineData("1.2.0", "1.2.0")]
    [InlineData("1.2", "1.2.0")]
    [InlineData("[1.1,2.0)", "1.2.0")]
    [InlineData("1.*", "1.2.0")]
    [InlineData("*", "2.0.0")]
    [InlineData("[1.0.0]", "1.0.0")]
    public void Read_VersionOrRange_PicksTheArchiveNuGetWould(string requested, string expected)
    {
        var package = Assert.Single(Read(Package("alpha", ("Version", requested))));

        Assert.Equal("Alpha", package.Id);
        Assert.Equal(expected, package.Version);
        Assert.Equal(_temp[$"archives/Alpha.{expected}.zip"], package.ArchivePath);
        Assert.Equal("folder", package.Source);
    }

    [Fact]
    public void Read_ItemMetadata_IsCarriedOver()
    {
        var package = Assert.Single(Read(Package("alpha", ("Version", "2.0.0"), ("Include", "lib/**; *.nuspec"), ("Exclude", "**/*.pdb"), ("KeepArchive", "True"))));

        Assert.Equal(["lib/**", "*.nuspec"], package.Include);
        Assert.Equal(["**/*.pdb"], package.Exclude);
        Assert.True(package.KeepArchive);
    }

    [Theory]
    [InlineData("", DiagnosticCodes.MissingVersion, "BundlePackage 'alpha' has no Version")]
    [InlineData("one", DiagnosticCodes.InvalidVersion, "BundlePackage 'alpha' has Version 'one'")]
    [InlineData("3.0.0", DiagnosticCodes.PackageNotFound, "satisfies '3.0.0'; it has 1.0.0, 1.10.0-beta.1, 1.2.0, 2.0.0")]
    [InlineData("1.1.0", DiagnosticCodes.PackageNotFound, "satisfies '1.1.0'; it has 1.0.0, 1.10.0-beta.1, 1.2.0, 2.0.0")]
    [InlineData("[3.0,)", DiagnosticCodes.PackageNotFound, "BundlePackage 'alpha': no archive of 'alpha' in folder source 'local'")]
    public void Read_BadVersion_IsRefusedWithItsCode(string version, string code, string message)
    {
        var error = Assert.Throws<BundleBuildException>(() => Read(Package("alpha", ("Version", version))));

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UndeclaredUnknownOrMissingSource_IsRefusedWithItsCode()
    {
        var alpha = Package("alpha", ("Version", "1.0.0"), ("Source", "nowhere"));
        Assert.Equal(DiagnosticCodes.UnknownSource, Assert.Throws<BundleBuildException>(() => Read(alpha)).Code);
        Assert.Equal(DiagnosticCodes.UnknownSource, Assert.Throws<BundleBuildException>(() =>
            ReadItems([Package("alpha", ("Version", "1.0.0"))], [])).Code);

        var npm = new TaskItem("registry", new Dictionary<string, string> { ["Type"] = "npm", ["Url"] = "https://registry.example.invalid" });
        Assert.Equal(DiagnosticCodes.ResolutionFailed, Assert.Throws<BundleBuildException>(() =>
            ReadItems([Package("alpha", ("Version", "1.0.0"))], [npm])).Code);

        var odd = new TaskItem("odd", new Dictionary<string, string> { ["Type"] = "ftp" });
        Assert.Equal(DiagnosticCodes.UnknownSourceType, Assert.Throws<BundleBuildException>(() =>
            ReadItems([Package("alpha", ("Version", "1.0.0"))], [odd])).Code);

        var missing = new TaskItem("local", new Dictionary<string, string> { ["Type"] = "folder", ["Path"] = "no-such-folder" });
        var error = Assert.Throws<BundleBuildException>(() => ReadItems([Package("alpha", ("Version", "1.0.0"))], [missing]));
        Assert.Equal(DiagnosticCodes.FolderNotFound, error.Code);
        Assert.Contains(_temp["no-such-folder"], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_NuGetItems_ResolveTheClosureDownloadingNothingAndGetTheGlobalPackagesLayout()
    {
        await using var feed = await new Bundler.Testing.Feeds.NuGetTestFeed()
            .Add("A.First", "1.0.0", new Bundler.Testing.Feeds.TestDependency("C.Dep", "1.0.0"))
            .Add("C.Dep", "1.0.0")
            .StartAsync();
        var source = new TaskItem("feed", new Dictionary<string, string>
        {
            ["Type"] = "nuget",
            ["Url"] = Bundler.Testing.Feeds.NuGetTestFeed.ServiceIndex(feed).AbsoluteUri,
            ["TargetFramework"] = "net8.0",
            ["Transitive"] = "true",
        });
        TaskItem[] packages = [Package("A.First", ("Version", "[1.0,2.0)"), ("Source", "feed"), ("Exclude", "**/*.xml"))];

        var first = await PackageItemReader.ReadAsync(packages, [source], _temp.Path, _temp["obj"], CancellationToken.None);
        var requestsAfterFirst = feed.Requests.Count;
        var second = await PackageItemReader.ReadAsync(packages, [source], _temp.Path, _temp["obj"], CancellationToken.None);

        Assert.Equal(["A.First 1.0.0", "C.Dep 1.0.0"], first.Select(p => $"{p.Input.Id} {p.Input.Version}").Order(StringComparer.Ordinal));
        // The archives are left to WriteBundle, which downloads them as it writes, from the package set named here.
        Assert.DoesNotContain(feed.Requests, r => r.Path.EndsWith(".nupkg", StringComparison.Ordinal));
        Assert.All(first, p => Assert.True(p.Input.NuGetLayout && p.Input.ArchivePath.Length == 0 && p.PackageSet == _temp["obj/bundle.json"]));
        Assert.Equal(["**/*.xml"], first.Single(p => p.Input.Id == "A.First").Input.Exclude);
        Assert.Equal(first.Select(p => (p.Input.Id, p.Input.Version, p.Input.Url, p.Resolved, p.PackageSet)), second.Select(p => (p.Input.Id, p.Input.Version, p.Input.Url, p.Resolved, p.PackageSet)));
        Assert.Equal(requestsAfterFirst, feed.Requests.Count);
    }

    [Fact]
    public void Read_ProjectSourceWithoutPathOrPackageWithVersion_IsRefusedWithItsCode()
    {
        var noPath = new TaskItem("app", new Dictionary<string, string> { ["Type"] = "project" });
        var withPath = new TaskItem("app", new Dictionary<string, string> { ["Type"] = "Project", ["Path"] = "app.csproj" });

        var missing = Assert.Throws<BundleBuildException>(() => ReadItems([], [noPath]));
        var versioned = Assert.Throws<BundleBuildException>(() => ReadItems([Package("Deep", ("Version", "1.0.0"))], [withPath]));

        Assert.Equal(DiagnosticCodes.FolderNotFound, missing.Code);
        Assert.Contains("BundleSource 'app' (Type project) has no Path", missing.Message, StringComparison.Ordinal);
        Assert.Equal(DiagnosticCodes.InvalidVersion, versioned.Code);
        Assert.Contains("BundlePackage 'Deep' has Version '1.0.0', but project source 'app' takes each version restore chooses", versioned.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ProjectSourceThatDoesNotExist_FailsNamingItWithTheResolutionCode()
    {
        var source = new TaskItem("app", new Dictionary<string, string> { ["Type"] = "project", ["Path"] = "no-such/app.csproj" });

        var error = Assert.Throws<BundleBuildException>(() => ReadItems([], [source]));

        Assert.Equal(DiagnosticCodes.ResolutionFailed, error.Code);
        Assert.Contains($"The project '{_temp["no-such/app.csproj"]}' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SamePackageTwice_IsRefused()
    {
        var error = Assert.Throws<BundleBuildException>(() => Read(Package("alpha", ("Version", "1.0.0")), Package("ALPHA", ("Version", "2.0.0"))));
        Assert.Equal(DiagnosticCodes.DuplicatePackage, error.Code);
    }

    public void Dispose() => _temp.Dispose();

    private IReadOnlyList<PackageInput> Read(params TaskItem[] packages) =>
        ReadItems(packages, [new TaskItem("local", new Dictionary<string, string> { ["Type"] = "folder", ["Path"] = "archives" })]);

    private IReadOnlyList<PackageInput> ReadItems(TaskItem[] packages, TaskItem[] sources) =>
        [.. PackageItemReader.ReadAsync(packages, sources, _temp.Path, _temp["obj"], CancellationToken.None).GetAwaiter().GetResult().Select(p => p.Input)];

    private static TaskItem Package(string id, params (string Name, string Value)[] metadata) =>
        new(id, metadata.ToDictionary(m => m.Name, m => m.Value));
}
