using Bundler.Loader.Format;
using Bundler.Loader.Http;
using Bundler.Loader.Loading;
using Bundler.Serving.Faults;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Loading;

/// <summary>Tampered archives, manifests and frames, and cancellation: refused or stopped, the target as it was, nothing left behind.</summary>
public sealed class RefusalTests : IAsyncLifetime
{
    private PublishedPackages _published = null!;

    public async Task InitializeAsync() => _published = await PublishedPackages.CreateAsync();

    public Task DisposeAsync()
    {
        _published.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task FilesMode_TamperedArchive_IsRefusedNamingItsUrl()
    {
        var archive = Path.Combine(_published.Folder, "files", "npm-package.1.0.5.tgz");
        var bytes = File.ReadAllBytes(archive);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(archive, bytes);
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Folder);
        var target = _published.ExistingTarget("tampered-archive");

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = LoadMode.Files }));

        Assert.Contains(server.Url("files/npm-package.1.0.5.tgz").ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("integrity", error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Fact]
    public async Task FilesMode_ManifestJsonWithAWrongFileHash_IsRefused()
    {
        var path = Path.Combine(_published.Folder, "manifest.json");
        var json = File.ReadAllText(path);
        var hash = _published.Manifest.Packages[0].Files[0].Sha256;
        File.WriteAllText(path, json.Replace(hash, new string('0', 64), StringComparison.Ordinal));
        var target = _published.ExistingTarget("tampered-manifest-json");

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(_published.Folder, target, new PackageLoadOptions { Mode = LoadMode.Files }));

        Assert.Contains(_published.Manifest.Packages[0].Files[0].Path, error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Fact]
    public async Task FilesMode_ManifestJsonCutShort_IsRefusedNamingItsUrl()
    {
        var path = Path.Combine(_published.Folder, "manifest.json");
        var json = File.ReadAllBytes(path);
        File.WriteAllBytes(path, json[..(json.Length * 2 / 3)]);
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Folder);
        var target = _published.ExistingTarget("cut-manifest-json");

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = LoadMode.Files }));

        Assert.Contains(server.Url("manifest.json").ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Theory]
    [InlineData(LoadMode.Bundle)]
    [InlineData(LoadMode.Ranges)]
    public async Task Load_TamperedBundleManifest_RefusedNamingFileAndBundle(LoadMode mode)
    {
        var file = _published.Manifest.Packages[^1].Files[^1];
        BundleForger.RewriteManifest(_published.BundlePath, m => m with
        {
            Packages = [.. m.Packages.Select(p => p.Files.Contains(file) ? p with { Files = [.. p.Files.Select(f => f == file ? f with { Sha256 = new string('a', 64) } : f)] } : p)],
        });
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Folder);
        var target = _published.ExistingTarget("tampered-manifest-" + mode);

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = mode }));

        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("packages.tar.zst", error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Theory]
    [InlineData(LoadMode.Bundle)]
    [InlineData(LoadMode.Ranges)]
    public async Task Load_TamperedFrame_RefusedAsCorrupt(LoadMode mode)
    {
        var bytes = File.ReadAllBytes(_published.BundlePath);
        var large = _published.Manifest.Packages.Single(p => p.Id == PublishedPackages.LargeId);
        var (first, last) = _published.FrameRange(large);
        bytes[(first + last) / 2] ^= 0x01;
        File.WriteAllBytes(_published.BundlePath, bytes);
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Folder);
        var target = _published.ExistingTarget("tampered-frame-" + mode);

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = mode }));

        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Theory]
    [InlineData(LoadMode.Bundle, nameof(FaultKind.ResetMidBody), "packages.tar.zst")]
    [InlineData(LoadMode.Bundle, nameof(FaultKind.TruncatedBody), "packages.tar.zst")]
    [InlineData(LoadMode.Ranges, nameof(FaultKind.ResetMidBody), "packages.tar.zst")]
    [InlineData(LoadMode.Files, nameof(FaultKind.ResetMidBody), "files/npm-package.1.0.5.tgz")]
    [InlineData(LoadMode.Files, nameof(FaultKind.TruncatedBody), "files/npm-package.1.0.5.tgz")]
    public async Task Load_BodyBreakingOffPastTheResumeBudget_RefusedNamingTheUrl(LoadMode mode, string kindName, string file)
    {
        var plan = new FaultPlan(new Fault(Enum.Parse<FaultKind>(kindName), "/" + file, Times: int.MaxValue));
        await using var server = await FaultyServer.ServeDirectoryAsync(_published.Folder, plan);
        var target = _published.ExistingTarget($"broken-{mode}-{kindName}");

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = mode }));

        // A small body, or the short rest of a resumed one, can be lost with its headers when the connection is aborted;
        // then the request itself failed, as often as it is tried.
        var brokeOff = error.Message.Contains($"GET {server.Url(file)} broke off at byte ", StringComparison.Ordinal) && error.Message.Contains($"after {ResumingResponseStream.MaxResumes} resumes", StringComparison.Ordinal);
        Assert.True(brokeOff || error.Message.Contains($"GET {server.Url(file)} failed: ", StringComparison.Ordinal), error.Message);
        Assert.True(plan.InjectedCount("/" + file) >= ResumingResponseStream.MaxResumes, $"{plan.InjectedCount("/" + file)} faults injected");
        LoadAssert.Untouched(target);
    }

    [Fact]
    public async Task FilesMode_MissingPublishFolder_RefusedNamingTheUrl()
    {
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Folder);
        var target = _published.ExistingTarget("404");

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.Url("elsewhere/").ToString(), target, new PackageLoadOptions { Mode = LoadMode.Files }));

        Assert.Contains(server.Url("elsewhere/manifest.json").ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Theory]
    [InlineData(LoadMode.Bundle)]
    [InlineData(LoadMode.Files)]
    public async Task Load_CancelledMidStream_LeavesNothingBehind(LoadMode mode)
    {
        await using var server = await PublishServers.WithoutRangeAsync(_published.Folder, TimeSpan.FromMilliseconds(40), chunkSize: 8 * 1024);
        var target = _published.ExistingTarget("cancel-" + mode);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = mode }, cancel.Token));

        await server.WaitForRequestsAsync(r => r.ResponseBytes > 0);

        Assert.Contains(server.Requests, r => r.ResponseBytes > 0);
        LoadAssert.Untouched(target);
    }

    [Fact]
    public async Task RangesMode_CancellationWhileRequestsAreInFlight_LeavesNothingBehind()
    {
        await using var server = await PublishServers.SlowAsync(_published.Folder, TimeSpan.FromMilliseconds(150));
        var target = _published.ExistingTarget("cancel-ranges");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(250));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = LoadMode.Ranges, MaxRangeRequestSize = 64 * 1024 }, cancel.Token));

        LoadAssert.Untouched(target);
    }
}
