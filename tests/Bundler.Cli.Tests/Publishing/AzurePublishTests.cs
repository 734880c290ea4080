using Bundler.Core.Publishing;
using Bundler.Core.Sources.Folder;
using Bundler.Loader;
using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Publishing.Azure;
using Bundler.Testing;
using Bundler.Testing.ObjectStores;

namespace Bundler.Cli.Tests.Publishing;

/// <summary><c>pack --publish az://CONTAINER/PREFIX/</c> against a real Azurite, and loads of what it wrote over plain HTTP from the store.</summary>
[Collection(SharedAzurite.Name)]
public sealed class AzurePublishTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TempDirectory _temp = PublishInputs.Create();

    public void Dispose() => _temp.Dispose();

    [AzuriteTheory]
    [InlineData("bundle")]
    [InlineData("files")]
    [InlineData("ranges")]
    public async Task PackPublishAzure_LoadedOverHttpFromTheStore_GivesTheTreeOfALocalPublish(string mode)
    {
        var container = await azurite.CreatePublicContainerAsync();
        Assert.Equal(0, (await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", _temp["local"]])).ExitCode);
        Assert.Equal(0, (await CliRun.RunAsync(["load", _temp["local"], "-o", _temp["expected"]])).ExitCode);

        var pack = await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", $"az://{container}/app/"]);
        var load = await CliRun.RunAsync(["load", azurite.Server.Url(container, "app/").AbsoluteUri, "-o", _temp["tree"], "--mode", mode]);

        Assert.True(pack.ExitCode == 0, pack.Error);
        Assert.Contains($"Published to az://{container}/app/", pack.Output, StringComparison.Ordinal);
        Assert.True(load.ExitCode == 0, load.Error);
        Assert.Equal(TreeAssert.Snapshot(_temp["expected"]), TreeAssert.Snapshot(_temp["tree"]));
    }

    [AzuriteFact]
    public async Task PackPublishAzure_SameSetAgain_UploadsNothingAndCachesObjectsForAYear()
    {
        var container = await azurite.CreatePublicContainerAsync();

        var first = await StoreChecks.PublishJsonAsync(_temp["in"], $"az://{container}/app/");
        var again = await StoreChecks.PublishJsonAsync(_temp["in"], $"az://{container}/app/");

        Assert.True(first.GetProperty("uploadedBytes").GetInt64() > 0);
        Assert.Equal(0, again.GetProperty("uploadedFiles").GetInt32());
        Assert.Equal(0, again.GetProperty("uploadedBytes").GetInt64());
        var index = PublishIndex.Parse(await StoreChecks.ReadAsync(azurite.Server.Url(container, "app/index.json")));
        Assert.Equal(CacheControl.EntryPoint, await StoreChecks.CacheControlOfAsync(azurite.Server.Url(container, "app/index.json")));
        Assert.Equal(CacheControl.Immutable, await StoreChecks.CacheControlOfAsync(azurite.Server.Url(container, "app/" + index.Bundle)));
    }

    [AzuriteFact]
    public async Task Publish_OnePackageChanged_UploadsOnlyItsArchiveTheBundleItsManifestAndTheEntryPoint()
    {
        var container = await azurite.CreatePublicContainerAsync();
        await using var proxy = await StoreProxy.StartAsync(new Uri(azurite.Server.BlobEndpoint, "/"));
        await PublishAsync(proxy, container);
        PublishInputs.ChangeOnePackage(_temp);
        proxy.ClearLog();

        var result = await PublishAsync(proxy, container);

        var changed = result.Bundle.Manifest.Packages.Single(p => p.Id == "is-number");
        string[] expected = [PublishLayout.ArchivePath(changed), NameOf(result.Bundle.Path, container), PublishLayout.ManifestPath(result.Bundle.Integrity), PublishLayout.IntegrityFileName, PublishLayout.IndexFileName];
        var written = proxy.Forwarded.Where(r => r.Method == "PUT").Select(r => KeyOf(r, container)).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
        Assert.Equal(PublishLayout.IndexFileName, written[^1]);
    }

    [AzuriteFact]
    public async Task Publish_StoreFailsMidPublish_LeavesThePreviousEntryPointAndBundleLoadable()
    {
        var container = await azurite.CreatePublicContainerAsync();
        await using var proxy = await StoreProxy.StartAsync(new Uri(azurite.Server.BlobEndpoint, "/"));
        await PublishAsync(proxy, container);
        var before = await StoreChecks.ReadAsync(azurite.Server.Url(container, "app/index.json"));
        var location = azurite.Server.Url(container, "app/").AbsoluteUri;
        await PackageLoader.LoadAsync(location, _temp["expected"]);
        TestArchives.TarGz(_temp["in/is-number.7.0.0.tgz"], ArchiveContent.Sample("is-number", 6));
        proxy.ClearLog();
        proxy.Fail = (method, path) => method == "PUT" && path.Contains("/bundles/", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<BundleException>(() => PublishAsync(proxy, container));

        Assert.Contains($"az://{container}/app/bundles/", error.Message, StringComparison.Ordinal);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        Assert.Contains("previous entry point is still in place", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(azurite.Server.AccountKey, error.ToString(), StringComparison.Ordinal);
        Assert.True(proxy.Failed.Count > 1, "the SDK retries a 503");
        Assert.DoesNotContain(proxy.Forwarded, r => r.Method == "PUT" && r.PathAndQuery.Contains(PublishLayout.IndexFileName, StringComparison.Ordinal));
        Assert.Equal(before, await StoreChecks.ReadAsync(azurite.Server.Url(container, "app/index.json")));
        await StoreChecks.AssertLoadsInEveryModeAsync(location, _temp["expected"], _temp);
    }

    [AzuriteFact]
    public async Task Publish_LargeObjects_UploadedInBlocksAndLoadable()
    {
        var container = await azurite.CreatePublicContainerAsync();
        var blob = PublishInputs.AddLargePackage(_temp, AzureBlobPublishStore.BlockThreshold);
        await using var proxy = await StoreProxy.StartAsync(new Uri(azurite.Server.BlobEndpoint, "/"));

        var result = await PublishAsync(proxy, container);

        var committed = proxy.Forwarded.Where(r => r.Method == "PUT" && r.PathAndQuery.Contains("comp=blocklist", StringComparison.Ordinal)).Select(r => KeyOf(r, container)).ToList();
        Assert.Contains(NameOf(result.Bundle.Path, container), committed);
        Assert.Contains(PublishLayout.ArchivePath(result.Bundle.Manifest.Packages.Single(p => p.Id == "Large.Package")), committed);
        foreach (var mode in new[] { LoadMode.Bundle, LoadMode.Files })
        {
            await PackageLoader.LoadAsync(azurite.Server.Url(container, "app/").AbsoluteUri, _temp["tree-" + mode], new PackageLoadOptions { Mode = mode });
            Assert.Equal(blob, await File.ReadAllBytesAsync(_temp[$"tree-{mode}/Large.Package/1.0.0/data/blob.bin"]));
        }
    }

    [AzuriteFact]
    public async Task PackPublishAzure_AccountKey_InNoOutputAndNoFile()
    {
        var container = await azurite.CreatePublicContainerAsync();

        var plain = await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", $"az://{container}/app/", "--progress", "plain"]);
        var json = await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", $"az://{container}/app/", "--json"]);
        var missing = await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", "az://no-such-container/app/"]);

        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("az://no-such-container/app/", missing.Error, StringComparison.Ordinal);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);
        StoreChecks.AssertSecretNowhere(azurite.Server.AccountKey, _temp.Path, ("pack --progress plain", plain.Output + plain.Error), ("pack --json", json.Output + json.Error), ("a failed pack", missing.Output + missing.Error));
    }

    [Theory]
    [InlineData("az://Bad_Container/app/", "is not a blob container name")]
    [InlineData("https://acct.blob.core.windows.net/c0ntainer/app/?sv=2024&sig=secret", "without credentials or a query")]
    public async Task PackPublish_MalformedAzureUrl_RefusedNamingIt(string location, string problem)
    {
        var pack = await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", location]);

        Assert.Equal(1, pack.ExitCode);
        Assert.Contains(problem, pack.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=secret", pack.Error, StringComparison.Ordinal);
    }

    private async Task<PublishResult> PublishAsync(StoreProxy proxy, string container)
    {
        var location = new AzureBlobLocation(null, container, "app/");
        using var store = new AzureBlobPublishStore(location, AzureContainerFactory.Create(location, azurite.Server.ConnectionString(proxy.Endpoint)));
        return await Publisher.PublishAsync(FolderArchiveScanner.Scan(_temp["in"]), store);
    }

    private static string NameOf(string described, string container) => described[$"az://{container}/app/".Length..];

    /// <summary>The object name a request through the proxy was for, relative to the publish location.</summary>
    private static string KeyOf(ProxiedRequest request, string container)
    {
        var path = request.PathAndQuery.Split('?')[0];
        return Uri.UnescapeDataString(path[$"/{AzuriteServer.Account}/{container}/app/".Length..]);
    }
}
