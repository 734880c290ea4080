using Bundler.Core.Publishing;
using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Loading;

/// <summary>Loads of publish locations laid out by digest with index.json as their entry point, as pack --publish writes them.</summary>
public sealed class PublishIndexLoadTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<LoadMode> Modes => [LoadMode.Bundle, LoadMode.Ranges, LoadMode.Files];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Load_OverHttp_GivesTheTreeFromTheIndexAndTheObjectsItNames(LoadMode mode)
    {
        var (folder, expected) = await PublishAsync("site");
        await using var server = await LoopbackServer.ServeDirectoryAsync(folder);
        var target = _temp["out/target"];

        await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = mode });

        TreeAssert.Holds(target, expected);
        var index = PublishFolder.Index(folder);
        Assert.Equal("/index.json", server.Requests[0].Path);
        var objects = server.Requests.Skip(1).Select(r => Uri.UnescapeDataString(r.Path)).Distinct().ToList();
        Assert.All(objects, path => Assert.Equal(200, server.Requests.First(r => Uri.UnescapeDataString(r.Path) == path).StatusCode / 100 * 100));
        Assert.Contains(mode == LoadMode.Files ? "/" + index.Manifest : "/" + index.Bundle, objects);
        Assert.All(objects, path => Assert.Matches(@"^/(bundles|manifests|files)/sha(256|512)-[0-9a-f]+/[^/]+$", path));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Load_LocalFolderRepublished_UpdatesToTheNewIndex(LoadMode mode)
    {
        var archives = Directory.CreateDirectory(_temp["archives"]).FullName;
        var packages = SamplePackages.WriteAllKinds(archives);
        var folder = _temp["site"];
        await PublishFolderWriter.WriteAsync(packages.Select(p => p.Input), folder);
        var target = _temp["out/target"];
        await PackageLoader.LoadAsync(folder, target, new PackageLoadOptions { Mode = mode });

        await PublishFolderWriter.WriteAsync(packages.Skip(1).Select(p => p.Input), folder);
        var report = await PackageLoader.LoadAsync(folder, target, new PackageLoadOptions { Mode = mode });

        Assert.Empty(report.Fetched);
        Assert.Single(report.Removed);
        TreeAssert.Holds(target, SamplePackages.ExpectedTree(packages.Skip(1).ToList()));
    }

    [Fact]
    public async Task Load_IndexNamingAMissingObject_RefusedNamingItsUrlAndTheTargetUntouched()
    {
        var (folder, _) = await PublishAsync("site");
        File.Delete(PublishFolder.BundlePath(folder));
        await using var server = await LoopbackServer.ServeDirectoryAsync(folder);
        var target = _temp["out/target"];
        Directory.CreateDirectory(Path.Combine(target, "mine"));
        File.WriteAllText(Path.Combine(target, "mine", "keep.txt"), "mine");

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target));

        Assert.Contains(server.Url(PublishFolder.BundleName(folder)).ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Theory]
    [InlineData("{\"formatVersion\":1,\"integrity\":\"sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"bundle\":\"../outside.tar.zst\",\"manifest\":\"m.json\"}", "'bundle'")]
    [InlineData("{\"formatVersion\":2,\"integrity\":\"sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"bundle\":\"b.tar.zst\",\"manifest\":\"m.json\"}", "formatVersion 2")]
    [InlineData("{\"formatVersion\":1,\"integrity\":\"md5-x\",\"bundle\":\"b.tar.zst\",\"manifest\":\"m.json\"}", "md5-x")]
    [InlineData("not json", "not a publish index")]
    public async Task Load_HostileIndex_RefusedNamingTheIndexBeforeAnyOtherRequest(string index, string problem)
    {
        var folder = Directory.CreateDirectory(_temp["site"]).FullName;
        File.WriteAllText(Path.Combine(folder, PublishLayout.IndexFileName), index);
        await using var server = await LoopbackServer.ServeDirectoryAsync(folder);

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), _temp["out/target"]));

        Assert.Contains(server.Url("index.json").ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
        Assert.False(Directory.Exists(_temp["out"]) && Directory.EnumerateFileSystemEntries(_temp["out"]).Any());
    }

    [Fact]
    public async Task Load_IndexUrlWithAQuery_SendsTheQueryWithTheIndexOnly()
    {
        var (folder, expected) = await PublishAsync("site");
        await using var server = await LoopbackServer.ServeDirectoryAsync(folder);

        await PackageLoader.LoadAsync(server.Url("index.json").ToString() + "?X-Amz-Signature=abc", _temp["out/target"]);

        TreeAssert.Holds(_temp["out/target"], expected);
        Assert.Equal("/index.json", server.Requests[0].Path);
        Assert.Equal("/" + PublishFolder.BundleName(folder), server.Requests[1].Path);
    }

    [Theory]
    [InlineData("gs://bucket/app/")]
    [InlineData("s3://bucket/app/")]
    [InlineData("ftp://host/app/")]
    public async Task Load_UnsupportedScheme_RefusedAndNeverTakenForALocalPath(string location)
    {
        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(location, _temp["out/target"]));

        Assert.Contains(location, error.Message, StringComparison.Ordinal);
        Assert.Contains("http(s)", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Environment.CurrentDirectory, location.Split(':')[0] + ":")));
    }

    private async Task<(string Folder, Dictionary<string, byte[]> Expected)> PublishAsync(string name)
    {
        var packages = SamplePackages.WriteAllKinds(Directory.CreateDirectory(_temp["archives-" + name]).FullName);
        var result = await PublishFolderWriter.WriteAsync(packages.Select(p => p.Input), _temp[name]);
        return (result.Location, SamplePackages.ExpectedTree(packages));
    }
}
