using Bundler.Core.Publishing;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Loading.Updates;

/// <summary>
/// Loads into a target that holds an earlier load: only what changed is fetched, by any mode, and the tree equals a
/// fresh load of the new publish folder, file by file.
/// </summary>
public sealed class UpdateLoadTests : IDisposable
{
    private const int PackageCount = 30;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<LoadMode> Modes => [LoadMode.Bundle, LoadMode.Ranges, LoadMode.Files];

    [Theory]
    [InlineData(LoadMode.Bundle)]
    [InlineData(LoadMode.Ranges)]
    public async Task Update_OnePackageOfThirtyChanged_FetchesItsFramesAndTheManifestOnly(LoadMode mode)
    {
        var before = await PublishAsync("v1", Set());
        var after = await PublishAsync("v2", Set(changed: 17));
        await using var server = await LoopbackServer.ServeDirectoryAsync(_temp.Path);
        var target = Target();
        await PackageLoader.LoadAsync(server.Url("v1/").ToString(), target, new PackageLoadOptions { Mode = mode });
        server.ClearLog();

        var report = await PackageLoader.LoadAsync(server.Url("v2/").ToString(), target, new PackageLoadOptions { Mode = mode });

        await AssertEqualsFreshLoadAsync(after, target);
        var manifest = BundleForger.ReadManifest(PublishFolder.BundlePath(after));
        var changed = manifest.Packages.Single(p => p.Id == "Package.17");
        var changedFrames = manifest.Frames.Skip(changed.FirstFrame).Take(changed.FrameCount).Sum(f => (long)f.Size);
        var manifestFrame = new FileInfo(PublishFolder.BundlePath(after)).Length - manifest.PayloadSize;
        var served = server.Requests.Sum(r => r.ResponseBytes);
        Assert.True(served <= (changedFrames + manifestFrame) * 105 / 100, $"{served} bytes served; the package's frames are {changedFrames}, the manifest frame {manifestFrame}");
        Assert.True(server.Requests.Count <= 4, $"{server.Requests.Count} requests (index.json among them): {string.Join(", ", server.Requests.Select(r => r.Path + " " + r.Range))}");
        Assert.Equal(["Package.17/1.0.0"], report.Fetched);
        Assert.Equal(PackageCount - 1, report.Kept.Count);
        Assert.Empty(report.Removed);
        Assert.True(report.SavedBytes > report.TransferredBytes, $"saved {report.SavedBytes} of {report.FullLoadBytes}");
    }

    [Fact]
    public async Task Update_OnePackageOfThirtyChangedInFilesMode_FetchesTheManifestAndThatArchiveOnly()
    {
        await PublishAsync("v1", Set());
        var after = await PublishAsync("v2", Set(changed: 3));
        await using var server = await LoopbackServer.ServeDirectoryAsync(_temp.Path);
        var target = Target();
        await PackageLoader.LoadAsync(server.Url("v1/").ToString(), target, new PackageLoadOptions { Mode = LoadMode.Files });
        server.ClearLog();

        await PackageLoader.LoadAsync(server.Url("v2/").ToString(), target, new PackageLoadOptions { Mode = LoadMode.Files });

        await AssertEqualsFreshLoadAsync(after, target);
        string[] expected = ["/v2/" + PublishFolder.ArchiveName(after, "Package.3.1.0.0.zip"), "/v2/" + PublishFolder.ManifestName(after), "/v2/index.json"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), server.Requests.Select(r => r.Path).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Update_PackagesAddedRemovedAndVersionChanged_TreeEqualsAFreshLoad(LoadMode mode)
    {
        var before = await PublishAsync("v1", Set(count: 5));
        var changes = Set(count: 5).Where(p => p.Input.Id != "Package.1").ToList();
        changes[1] = Package(2, "2.0.0", seed: 2);
        changes.Add(Package(9, "1.0.0", seed: 9));
        var after = await PublishAsync("v2", changes);
        var target = Target();
        await PackageLoader.LoadAsync(before, target, new PackageLoadOptions { Mode = mode });

        var report = await PackageLoader.LoadAsync(after, target, new PackageLoadOptions { Mode = mode });

        await AssertEqualsFreshLoadAsync(after, target);
        Assert.Equal(["Package.2/1.0.0", "Package.1/1.0.0"], report.Removed.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(["Package.2/2.0.0", "Package.9/1.0.0"], report.Fetched.Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(target, "Package.1")), "a removed package's id folder is left empty");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Update_OnlyTheGlobsChanged_RefetchesThatPackageAndDropsTheExcludedFiles(LoadMode mode)
    {
        var before = await PublishAsync("v1", Set(count: 4));
        var changes = Set(count: 4);
        changes[2] = (changes[2].Input with { Exclude = ["**/*.xml"] }, changes[2].Content);
        var after = await PublishAsync("v2", changes);
        var target = Target();
        await PackageLoader.LoadAsync(before, target, new PackageLoadOptions { Mode = mode });

        var report = await PackageLoader.LoadAsync(after, target, new PackageLoadOptions { Mode = mode });

        await AssertEqualsFreshLoadAsync(after, target);
        Assert.Equal(["Package.2/1.0.0"], report.Fetched);
        Assert.Empty(Directory.GetFiles(Path.Combine(target, "Package.2", "1.0.0"), "*.xml", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Update_NothingChanged_FetchesOnlyTheHeadAndWritesNothing()
    {
        var published = await PublishAsync("v1", Set(count: 6));
        await using var server = await LoopbackServer.ServeDirectoryAsync(_temp.Path);
        var target = Target();
        await PackageLoader.LoadAsync(server.Url("v1/").ToString(), target);
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(target, "Package.0", "1.0.0", "README.md"));
        server.ClearLog();

        var report = await PackageLoader.LoadAsync(server.Url("v1/").ToString(), target);

        Assert.Equal(["/v1/index.json", "/v1/" + PublishFolder.BundleName(published)], server.Requests.Select(r => r.Path));
        Assert.Empty(report.Fetched);
        Assert.Equal(6, report.Kept.Count);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(target, "Package.0", "1.0.0", "README.md")));
        await AssertEqualsFreshLoadAsync(published, target);
    }

    [Fact]
    public async Task Update_ServerWithoutRange_OneResponseStreamingPastTheUnchangedFrames()
    {
        await PublishAsync("v1", Set());
        var after = await PublishAsync("v2", Set(changed: 29));
        var target = Target();
        await PackageLoader.LoadAsync(Path.Combine(_temp.Path, "v1"), target);
        await using var server = await PublishServers.WithoutRangeAsync(_temp.Path);

        var report = await PackageLoader.LoadAsync(server.Url("v2/").ToString(), target);

        await AssertEqualsFreshLoadAsync(after, target);
        Assert.Equal(["/v2/index.json", "/v2/" + PublishFolder.BundleName(after)], server.Requests.Select(r => r.Path));
        Assert.Equal(["Package.29/1.0.0"], report.Fetched);
    }

    [Theory]
    [InlineData(LoadMode.Bundle)]
    [InlineData(LoadMode.Ranges)]
    public async Task Update_ManifestLiesAboutAnUnchangedPackage_RefusedAndTheOldTreeStays(LoadMode mode)
    {
        var before = await PublishAsync("v1", Set(count: 5));
        var after = await PublishAsync("v2", Set(count: 5, changed: 4));
        // The new manifest claims other bytes for one file of a package whose frames did not change.
        BundleForger.RewriteManifest(PublishFolder.BundlePath(after), manifest => manifest with
        {
            Packages = [.. manifest.Packages.Select(p => p.Id != "Package.1" ? p : p with
            {
                Files = [.. p.Files.Select((f, i) => i == 0 ? f with { Sha256 = new string('0', 64) } : f)],
            })],
        });
        var target = Target();
        await PackageLoader.LoadAsync(before, target, new PackageLoadOptions { Mode = mode });
        var old = TreeAssert.Snapshot(target);

        var error = await Assert.ThrowsAnyAsync<BundleException>(() => PackageLoader.LoadAsync(after, target, new PackageLoadOptions { Mode = mode }));

        Assert.Contains("Package.1", error.Message, StringComparison.Ordinal);
        Assert.Equal(old, TreeAssert.Snapshot(target));
        LoadAssert.NothingBesideTarget(target);
        var report = await PackageLoader.LoadAsync(before, target, new PackageLoadOptions { Mode = mode });
        Assert.Empty(report.Fetched);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Update_CancelledHalfWay_LeavesTheOldTreeAndTheNextUpdateCompletes(LoadMode mode)
    {
        var before = await PublishAsync("v1", Set(count: 8));
        var after = await PublishAsync("v2", Enumerable.Range(0, 8).Select(i => Package(i, "1.0.0", seed: 100 + i)).ToList());
        var target = Target();
        await PackageLoader.LoadAsync(before, target, new PackageLoadOptions { Mode = mode });
        var old = TreeAssert.Snapshot(target);
        await using (var slow = await PublishServers.SlowAsync(_temp.Path, TimeSpan.FromMilliseconds(300)))
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(450));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                PackageLoader.LoadAsync(slow.Url("v2/").ToString(), target, new PackageLoadOptions { Mode = mode, MaxConcurrentRequests = 1 }, cancel.Token));
        }

        Assert.Equal(old, TreeAssert.Snapshot(target));
        LoadAssert.NothingBesideTarget(target);
        await PackageLoader.LoadAsync(after, target, new PackageLoadOptions { Mode = mode });
        await AssertEqualsFreshLoadAsync(after, target);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Update_LocalFileEditedAfterTheLoad_RefetchesThatPackageNamingTheFile(LoadMode mode)
    {
        var published = await PublishAsync("v1", Set(count: 4));
        var target = Target();
        await PackageLoader.LoadAsync(published, target, new PackageLoadOptions { Mode = mode });
        var edited = Path.Combine(target, "Package.3", "1.0.0", "README.md");
        File.WriteAllText(edited, "edited by hand");

        var report = await PackageLoader.LoadAsync(published, target, new PackageLoadOptions { Mode = mode });

        await AssertEqualsFreshLoadAsync(published, target);
        Assert.Equal(["Package.3/1.0.0"], report.Fetched);
        Assert.Contains(report.Warnings, w => w.Contains("README.md", StringComparison.Ordinal) && w.Contains("Package.3/1.0.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_SameSizeEditWithTheTimestampRestored_KeptByDefaultRefetchedWithVerifyLocal()
    {
        var published = await PublishAsync("v1", Set(count: 3));
        var target = Target();
        await PackageLoader.LoadAsync(published, target);
        var edited = Path.Combine(target, "Package.1", "1.0.0", "README.md");
        var stamp = File.GetLastWriteTimeUtc(edited);
        var bytes = File.ReadAllBytes(edited);
        bytes[0] ^= 0x20;
        File.WriteAllBytes(edited, bytes);
        File.SetLastWriteTimeUtc(edited, stamp);

        var trusting = await PackageLoader.LoadAsync(published, target);
        Assert.Empty(trusting.Fetched);

        var verifying = await PackageLoader.LoadAsync(published, target, new PackageLoadOptions { VerifyLocal = true });
        Assert.Equal(["Package.1/1.0.0"], verifying.Fetched);
        await AssertEqualsFreshLoadAsync(published, target);
    }

    [Fact]
    public async Task Update_RecordCorrupt_FetchesEverythingWithAWarning()
    {
        var published = await PublishAsync("v1", Set(count: 3));
        var target = Target();
        await PackageLoader.LoadAsync(published, target);
        var record = Path.Combine(target, ".bundler-load", "record.json");
        File.WriteAllText(record, "{\"version\":1,\"packages\":[{\"id\":\"../../etc\",\"version\":\"1\",\"files\":[]}]}");

        var report = await PackageLoader.LoadAsync(published, target);

        Assert.Equal(3, report.Fetched.Count);
        Assert.Contains(report.Warnings, w => w.Contains(record, StringComparison.Ordinal));
        await AssertEqualsFreshLoadAsync(published, target);
    }

    /// <summary>A target in a parent of its own, so that leftovers beside it can be listed.</summary>
    private string Target() => Path.Combine(_temp["out"], "target");

    private async Task AssertEqualsFreshLoadAsync(string publishFolder, string target)
    {
        var fresh = _temp["fresh-" + Guid.NewGuid().ToString("N")];
        await PackageLoader.LoadAsync(publishFolder, fresh);
        LoadAssert.SameTree(fresh, target);
    }

    private async Task<string> PublishAsync(string name, IEnumerable<(PackageInput Input, ArchiveContent Content)> packages)
    {
        var result = await PublishFolderWriter.WriteAsync(packages.Select(p => p.Input), _temp[name], new BundleWriterOptions { MaxFrameSize = 64 * 1024 });
        return result.Location;
    }

    private List<(PackageInput Input, ArchiveContent Content)> Set(int count = PackageCount, int changed = -1) =>
        [.. Enumerable.Range(0, count).Select(i => Package(i, "1.0.0", seed: i == changed ? 1000 + i : i))];

    private (PackageInput Input, ArchiveContent Content) Package(int index, string version, int seed)
    {
        var id = $"Package.{index}";
        var content = ArchiveContent.Sample(id, seed, blobSize: 8_000);
        var folder = Directory.CreateDirectory(_temp[$"archives-{seed}-{version}"]).FullName;
        var path = Path.Combine(folder, $"{id}.{version}.zip");
        if (!File.Exists(path))
        {
            TestArchives.Zip(path, content);
        }

        return (new PackageInput { Id = id, Version = version, ArchivePath = path }, content);
    }
}
