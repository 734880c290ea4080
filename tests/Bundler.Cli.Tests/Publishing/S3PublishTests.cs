using Bundler.Core.Publishing;
using Bundler.Core.Sources.Folder;
using Bundler.Loader;
using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Publishing.S3;
using Bundler.Testing;
using Bundler.Testing.ObjectStores;

namespace Bundler.Cli.Tests.Publishing;

/// <summary><c>pack --publish s3://BUCKET/PREFIX/</c> against a real moto_server, and loads of what it wrote over plain HTTP from the store.</summary>
[Collection(SharedMotoServer.Name)]
public sealed class S3PublishTests(MotoFixture moto) : IDisposable
{
    private readonly TempDirectory _temp = PublishInputs.Create();

    public void Dispose() => _temp.Dispose();

    [MotoTheory]
    [InlineData("bundle")]
    [InlineData("files")]
    [InlineData("ranges")]
    public async Task PackPublishS3_LoadedOverHttpFromTheStore_GivesTheTreeOfALocalPublish(string mode)
    {
        var bucket = await moto.Server.CreatePublicBucketAsync();
        Assert.Equal(0, (await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", _temp["local"]])).ExitCode);
        Assert.Equal(0, (await CliRun.RunAsync(["load", _temp["local"], "-o", _temp["expected"]])).ExitCode);

        var pack = await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", $"s3://{bucket}/app/"]);
        var load = await CliRun.RunAsync(["load", moto.Server.Url(bucket, "app/").AbsoluteUri, "-o", _temp["tree"], "--mode", mode]);

        Assert.True(pack.ExitCode == 0, pack.Error);
        Assert.Contains($"Published to s3://{bucket}/app/", pack.Output, StringComparison.Ordinal);
        Assert.True(load.ExitCode == 0, load.Error);
        Assert.Equal(TreeAssert.Snapshot(_temp["expected"]), TreeAssert.Snapshot(_temp["tree"]));
        Assert.False(Directory.Exists("s3:"));
    }

    [MotoFact]
    public async Task PackPublishS3_SameSetAgain_UploadsNothing()
    {
        var location = $"s3://{await moto.Server.CreatePublicBucketAsync()}/app/";

        var first = await StoreChecks.PublishJsonAsync(_temp["in"], location);
        var again = await StoreChecks.PublishJsonAsync(_temp["in"], location);

        Assert.Equal(first.GetProperty("objects").GetInt32() + 2, first.GetProperty("uploadedFiles").GetInt32());
        Assert.True(first.GetProperty("uploadedBytes").GetInt64() > 0);
        Assert.Equal(0, again.GetProperty("uploadedFiles").GetInt32());
        Assert.Equal(0, again.GetProperty("uploadedBytes").GetInt64());
    }

    [MotoFact]
    public async Task PackPublishS3_Objects_CachedForAYearAndTheEntryPointForAMinute()
    {
        var bucket = await moto.Server.CreatePublicBucketAsync();
        Assert.Equal(0, (await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", $"s3://{bucket}/app/"])).ExitCode);
        var index = PublishIndex.Parse(await StoreChecks.ReadAsync(moto.Server.Url(bucket, "app/index.json")));

        Assert.Equal(CacheControl.EntryPoint, await StoreChecks.CacheControlOfAsync(moto.Server.Url(bucket, "app/index.json")));
        Assert.Equal(CacheControl.Immutable, await StoreChecks.CacheControlOfAsync(moto.Server.Url(bucket, "app/" + index.Bundle)));
        Assert.Equal(CacheControl.Immutable, await StoreChecks.CacheControlOfAsync(moto.Server.Url(bucket, "app/" + index.Manifest)));
    }

    [MotoFact]
    public async Task Publish_OnePackageChanged_UploadsOnlyItsArchiveTheBundleItsManifestAndTheEntryPoint()
    {
        var bucket = await moto.Server.CreatePublicBucketAsync();
        await using var proxy = await StoreProxy.StartAsync(moto.Server.Endpoint);
        await PublishAsync(proxy, bucket);
        PublishInputs.ChangeOnePackage(_temp);
        proxy.ClearLog();

        var result = await PublishAsync(proxy, bucket);

        var changed = result.Bundle.Manifest.Packages.Single(p => p.Id == "is-number");
        var bundleName = result.Bundle.Path[$"s3://{bucket}/app/".Length..];
        string[] expected = [PublishLayout.ArchivePath(changed), bundleName, PublishLayout.ManifestPath(result.Bundle.Integrity), PublishLayout.IntegrityFileName, PublishLayout.IndexFileName];
        var written = proxy.Forwarded.Where(r => r.Method == "PUT").Select(r => KeyOf(r, bucket)).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
        Assert.Equal(PublishLayout.IndexFileName, written[^1]);
        Assert.Equal(5, result.UploadedFiles);
    }

    [MotoFact]
    public async Task Publish_StoreFailsMidPublish_LeavesThePreviousEntryPointAndBundleLoadable()
    {
        var bucket = await moto.Server.CreatePublicBucketAsync();
        await using var proxy = await StoreProxy.StartAsync(moto.Server.Endpoint);
        await PublishAsync(proxy, bucket);
        var before = await StoreChecks.ReadAsync(moto.Server.Url(bucket, "app/index.json"));
        var location = moto.Server.Url(bucket, "app/").AbsoluteUri;
        await PackageLoader.LoadAsync(location, _temp["expected"]);
        TestArchives.TarGz(_temp["in/is-number.7.0.0.tgz"], ArchiveContent.Sample("is-number", 6));
        proxy.ClearLog();
        proxy.Fail = (method, path) => method == "PUT" && path.Contains("/bundles/", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<BundleException>(() => PublishAsync(proxy, bucket));

        Assert.Contains($"s3://{bucket}/app/bundles/", error.Message, StringComparison.Ordinal);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        Assert.Contains("previous entry point is still in place", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(moto.SecretAccessKey, error.ToString(), StringComparison.Ordinal);
        Assert.True(proxy.Failed.Count > 1, "the SDK retries a 503");
        Assert.DoesNotContain(proxy.Forwarded, r => r.Method == "PUT" && r.PathAndQuery.Contains(PublishLayout.IndexFileName, StringComparison.Ordinal));
        Assert.Equal(before, await StoreChecks.ReadAsync(moto.Server.Url(bucket, "app/index.json")));
        await StoreChecks.AssertLoadsInEveryModeAsync(location, _temp["expected"], _temp);
    }

    [MotoFact]
    public async Task Publish_CancelledWhileUploadingTheBundle_LeavesThePreviousEntryPointLoadable()
    {
        var bucket = await moto.Server.CreatePublicBucketAsync();
        await using var proxy = await StoreProxy.StartAsync(moto.Server.Endpoint);
        await PublishAsync(proxy, bucket);
        var before = await StoreChecks.ReadAsync(moto.Server.Url(bucket, "app/index.json"));
        PublishInputs.ChangeOnePackage(_temp);
        using var cancel = new CancellationTokenSource();
        proxy.Fail = (method, path) =>
        {
            if (method == "PUT" && path.Contains("/bundles/", StringComparison.Ordinal))
            {
                cancel.Cancel();
            }

            return false;
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PublishAsync(proxy, bucket, cancel.Token));

        Assert.Equal(before, await StoreChecks.ReadAsync(moto.Server.Url(bucket, "app/index.json")));
        var report = await PackageLoader.LoadAsync(moto.Server.Url(bucket, "app/").AbsoluteUri, _temp["tree"], new PackageLoadOptions { Mode = LoadMode.Ranges });
        Assert.True(Directory.Exists(_temp["tree/is-number/7.0.0"]), "the previous publish's is-number was loaded");
        Assert.Equal(3, report.Packages);
    }

    [MotoFact]
    public async Task Publish_ThrottledTwice_RetriesAndPublishes()
    {
        var bucket = await moto.Server.CreatePublicBucketAsync();
        await using var proxy = await StoreProxy.StartAsync(moto.Server.Endpoint);
        var throttled = 0;
        proxy.Fail = (method, _) => method == "PUT" && Interlocked.Increment(ref throttled) <= 2;

        var result = await PublishAsync(proxy, bucket);
        var report = await PackageLoader.LoadAsync(moto.Server.Url(bucket, "app/").AbsoluteUri, _temp["tree"], new PackageLoadOptions { Mode = LoadMode.Files });

        Assert.Equal(2, proxy.Failed.Count);
        Assert.Equal(result.Bundle.Manifest.Packages.Count, report.Packages);
    }

    [MotoFact]
    public async Task Publish_LargeObjects_UploadedInPartsAndLoadable()
    {
        var bucket = await moto.Server.CreatePublicBucketAsync();
        var blob = PublishInputs.AddLargePackage(_temp, S3PublishStore.MultipartThreshold);
        await using var proxy = await StoreProxy.StartAsync(moto.Server.Endpoint);

        var result = await PublishAsync(proxy, bucket);

        var started = proxy.Forwarded.Where(r => r.Method == "POST" && r.PathAndQuery.EndsWith("?uploads", StringComparison.Ordinal)).Select(r => KeyOf(r, bucket)).ToList();
        Assert.Contains(result.Bundle.Path[$"s3://{bucket}/app/".Length..], started);
        Assert.Contains(PublishLayout.ArchivePath(result.Bundle.Manifest.Packages.Single(p => p.Id == "Large.Package")), started);
        Assert.True(proxy.Forwarded.Count(r => r.Method == "PUT" && r.PathAndQuery.Contains("partNumber=", StringComparison.Ordinal)) >= 6);
        foreach (var mode in new[] { LoadMode.Bundle, LoadMode.Files })
        {
            await PackageLoader.LoadAsync(moto.Server.Url(bucket, "app/").AbsoluteUri, _temp["tree-" + mode], new PackageLoadOptions { Mode = mode });
            Assert.Equal(blob, await File.ReadAllBytesAsync(_temp[$"tree-{mode}/Large.Package/1.0.0/data/blob.bin"]));
        }
    }

    [MotoFact]
    public async Task PackPublishS3_Credentials_InNoOutputAndNoFile()
    {
        var location = $"s3://{await moto.Server.CreatePublicBucketAsync()}/app/";

        var plain = await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", location, "--progress", "plain"]);
        var json = await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", location, "--json"]);
        var missing = await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", "s3://no-such-bucket-here/app/"]);

        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("s3://no-such-bucket-here/app/", missing.Error, StringComparison.Ordinal);
        Assert.Contains("Check that the bucket exists", missing.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missing.Error, StringComparison.Ordinal);
        StoreChecks.AssertSecretNowhere(moto.SecretAccessKey, _temp.Path, ("pack --progress plain", plain.Output + plain.Error), ("pack --json", json.Output + json.Error), ("a failed pack", missing.Output + missing.Error));
    }

    [Theory]
    [InlineData("gs://bucket/app/", "gs")]
    [InlineData("ftp://host/app/", "ftp")]
    [InlineData("file:///tmp/app/", "file")]
    public async Task PackPublishAndLoad_UnsupportedScheme_RefusedAndNeverTakenForALocalPath(string location, string scheme)
    {
        var pack = await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", location]);
        var load = await CliRun.RunAsync(["load", location, "-o", _temp["tree"]]);

        Assert.Equal(1, pack.ExitCode);
        Assert.Contains($"{scheme}:// is not a store pack can publish to", pack.Error, StringComparison.Ordinal);
        Assert.Equal(1, load.ExitCode);
        Assert.Contains($"is a {scheme}:// URL", load.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(scheme + ":"));
        Assert.False(Directory.Exists(_temp["tree"]));
    }

    [Theory]
    [InlineData("s3://Bad_Bucket/app/", "is not an S3 bucket name")]
    [InlineData("s3://bucket/app/../other/", "is not a plain key prefix")]
    public async Task PackPublish_MalformedS3Url_RefusedNamingIt(string location, string problem)
    {
        var pack = await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", location]);

        Assert.Equal(1, pack.ExitCode);
        Assert.Contains(location, pack.Error, StringComparison.Ordinal);
        Assert.Contains(problem, pack.Error, StringComparison.Ordinal);
    }

    private async Task<PublishResult> PublishAsync(StoreProxy proxy, string bucket, CancellationToken cancellationToken = default)
    {
        using var store = new S3PublishStore(new S3Location(bucket, "app/"), S3ClientFactory.Create(proxy.Endpoint));
        return await Publisher.PublishAsync(FolderArchiveScanner.Scan(_temp["in"]), store, cancellationToken: cancellationToken);
    }

    /// <summary>The object name a request through the proxy was for, relative to the publish location.</summary>
    private static string KeyOf(ProxiedRequest request, string bucket)
    {
        var path = request.PathAndQuery.Split('?')[0];
        return Uri.UnescapeDataString(path[$"/{bucket}/app/".Length..]);
    }
}
