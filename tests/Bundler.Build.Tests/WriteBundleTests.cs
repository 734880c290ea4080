using Microsoft.AspNetCore.Builder;
using System.Text.Json;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;
using Bundler.Build.Diagnostics;
using Bundler.Build.Tasks;
using Bundler.Build.Items;
using Bundler.Core.Download;
using Bundler.Core.Pipeline;
using Bundler.Core.Writing;
using Bundler.Core.Resolution.Locking;
using Bundler.Loader.Format;
using Bundler.Loader.Unpacking;
using Bundler.Testing;
using Bundler.Testing.Feeds;
using Bundler.Testing.Http;

namespace Bundler.Build.Tests;

/// <summary>The WriteBundle task run in-process against a recording build engine.</summary>
public sealed class WriteBundleTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task WriteBundle_ResolvedPackages_WritesAVerifiedBundleAndTheLockFile()
    {
        var engine = new RecordingBuildEngine();
        var task = new WriteBundle { BuildEngine = engine, Packages = [Resolved("delta", "1.0.0")], OutputPath = _temp["out/b.tar.zst"], LockFile = _temp["bundle.lock.json"], CompressionLevel = "-1" };

        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));

        Assert.True(task.Written);
        await using var stream = File.OpenRead(_temp["out/b.tar.zst"]);
        var manifest = (await BundleReader.VerifyAsync(stream)).Manifest;
        Assert.Equal(-1, manifest.Options.CompressionLevel);
        using var lockFile = JsonDocument.Parse(File.ReadAllText(_temp["bundle.lock.json"]));
        Assert.Equal(manifest.Packages[0].Archive.Integrity, lockFile.RootElement.GetProperty("packages")[0].GetProperty("integrity").GetString());
    }

    [Fact]
    public async Task WriteBundle_SigningKey_OutputsTheIntegrityAndSignsBesideTheBundle()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        File.WriteAllText(_temp["signing.pem"], key.ExportPkcs8PrivateKeyPem());
        var engine = new RecordingBuildEngine();
        var task = new WriteBundle { BuildEngine = engine, Packages = [Resolved("delta", "1.0.0")], OutputPath = _temp["out/b.tar.zst"], SigningKeyFiles = _temp["signing.pem"] };

        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));

        await using var stream = File.OpenRead(_temp["out/b.tar.zst"]);
        Assert.Equal(await BundleReader.ReadIntegrityAsync(stream), task.Integrity);
        stream.Position = 0;
        await BundleReader.VerifyAsync(stream, new UnpackOptions { ExpectedIntegrity = task.Integrity, TrustedKeys = [key.ExportSubjectPublicKeyInfoPem()], Signature = File.ReadAllBytes(_temp["out/b.tar.zst.sig"]) });
        var read = new ReadBundleIntegrity { BuildEngine = engine, BundlePath = _temp["out/b.tar.zst"] };
        Assert.True(read.Execute());
        Assert.Equal(task.Integrity, read.Integrity);
    }

    [Fact]
    public void WriteBundle_Cancelled_FailsLeavingThePreviousBundleAndNoTemporaryFile()
    {
        Directory.CreateDirectory(_temp["out"]);
        File.WriteAllText(_temp["out/b.tar.zst"], "previous");
        var engine = new RecordingBuildEngine();
        var task = new WriteBundle { BuildEngine = engine, Packages = [Resolved("delta", "1.0.0")], OutputPath = _temp["out/b.tar.zst"], LockFile = _temp["bundle.lock.json"] };

        task.Cancel();

        Assert.False(task.Execute());
        Assert.False(task.Written);
        Assert.Equal("previous", File.ReadAllText(_temp["out/b.tar.zst"]));
        Assert.Equal(["b.tar.zst"], Directory.GetFiles(_temp["out"]).Select(Path.GetFileName));
        Assert.False(File.Exists(_temp["bundle.lock.json"]));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("23")]
    [InlineData("fast")]
    public void WriteBundle_BadCompressionLevel_IsRefusedWithItsCode(string level)
    {
        var engine = new RecordingBuildEngine();
        var task = new WriteBundle { BuildEngine = engine, Packages = [Resolved("delta", "1.0.0")], OutputPath = _temp["b.tar.zst"], CompressionLevel = level };

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal(DiagnosticCodes.InvalidProperty, error.Code);
        Assert.Contains("BundlerCompressionLevel", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp["b.tar.zst"]));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1025")]
    [InlineData("many")]
    public void WriteBundle_BadConcurrency_IsRefusedWithItsCodeNamingTheRange(string concurrency)
    {
        var engine = new RecordingBuildEngine();
        var task = new WriteBundle { BuildEngine = engine, Packages = [Resolved("delta", "1.0.0")], OutputPath = _temp["b.tar.zst"], Concurrency = concurrency };

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal(DiagnosticCodes.InvalidProperty, error.Code);
        Assert.Contains($"BundlerConcurrency is '{concurrency}'; use a whole number from 0 to 1024.", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp["b.tar.zst"]));
    }

    [Fact]
    public void WriteBundle_BrokenArchive_FailsNamingIt()
    {
        File.WriteAllText(_temp["delta.1.0.0.zip"], "not a zip");
        var engine = new RecordingBuildEngine();
        var item = new TaskItem("delta", new Dictionary<string, string> { ["Version"] = "1.0.0", ["ArchivePath"] = _temp["delta.1.0.0.zip"], ["Source"] = "folder" });
        var task = new WriteBundle { BuildEngine = engine, Packages = [item], OutputPath = _temp["b.tar.zst"] };

        Assert.False(task.Execute());

        var error = Assert.Single(engine.Errors);
        Assert.Equal(DiagnosticCodes.BundleFailed, error.Code);
        Assert.Contains("delta.1.0.0.zip", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp["b.tar.zst"]));
    }

    [Fact]
    public async Task WriteBundle_RemoteAndFolderPackages_DownloadsEachArchiveOnceAndWritesWhatPackWrites()
    {
        await using var feed = await new NuGetTestFeed()
            .Add("A.First", "1.0.0", new TestDependency("C.Dep", "1.0.0"))
            .Add("C.Dep", "1.0.0")
            .StartAsync();
        var resolved = ResolveRemoteAndFolder(feed);
        var engine = new RecordingBuildEngine();

        var cold = new WriteBundle { BuildEngine = engine, Packages = resolved, OutputPath = _temp["out/cold.tar.zst"], CacheFolder = _temp["cache"] };
        Assert.True(cold.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        var nupkgRequests = feed.Count(r => r.Path.EndsWith(".nupkg", StringComparison.Ordinal));
        var warm = new WriteBundle { BuildEngine = engine, Packages = resolved, OutputPath = _temp["out/warm.tar.zst"], CacheFolder = _temp["cache"] };
        Assert.True(warm.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));

        Assert.Equal(2, nupkgRequests);
        Assert.Equal(nupkgRequests, feed.Count(r => r.Path.EndsWith(".nupkg", StringComparison.Ordinal)));
        // The same bytes as the writer given every archive at once, in the cache the task filled.
        var inputs = await PackageSetPacker.PrepareAsync(_temp["obj/bundle.json"], new PackageSetPackOptions { Download = new DownloadOptions { CacheDirectory = _temp["cache"] } }, CancellationToken.None);
        await BundleWriter.WriteAsync([.. inputs, .. resolved.Where(r => r.GetMetadata("SourceType") == "folder").Select(ResolvedItem.InputOf)], _temp["whole.tar.zst"]);
        Assert.Equal(File.ReadAllBytes(_temp["whole.tar.zst"]), File.ReadAllBytes(_temp["out/cold.tar.zst"]));
        Assert.Equal(File.ReadAllBytes(_temp["whole.tar.zst"]), File.ReadAllBytes(_temp["out/warm.tar.zst"]));
        Assert.Equal(["a.first", "c.dep", "delta"], (await BundleReader.VerifyAsync(File.OpenRead(_temp["out/cold.tar.zst"]))).Manifest.Packages.Select(p => p.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WriteBundle_RemoteArchiveMissing_FailsNamingItsUrlLeavingThePreviousBundle()
    {
        await using var feed = await new NuGetTestFeed()
            .Add("A.First", "1.0.0", new TestDependency("C.Dep", "1.0.0"))
            .Add("C.Dep", "1.0.0")
            .StartAsync(app => app.Use((context, next) =>
            {
                if (context.Request.Path.Value!.EndsWith("c.dep.1.0.0.nupkg", StringComparison.Ordinal))
                {
                    context.Response.StatusCode = 404;
                    return Task.CompletedTask;
                }

                return next(context);
            }));
        var resolved = ResolveRemoteAndFolder(feed);
        Directory.CreateDirectory(_temp["out"]);
        File.WriteAllText(_temp["out/b.tar.zst"], "previous");
        var engine = new RecordingBuildEngine();

        var task = new WriteBundle { BuildEngine = engine, Packages = resolved, OutputPath = _temp["out/b.tar.zst"], LockFile = _temp["bundle.lock.json"], CacheFolder = _temp["cache"] };

        Assert.False(task.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal(DiagnosticCodes.DownloadFailed, error.Code);
        Assert.Contains("c.dep.1.0.0.nupkg", error.Message, StringComparison.Ordinal);
        Assert.Equal("previous", File.ReadAllText(_temp["out/b.tar.zst"]));
        Assert.Equal(["b.tar.zst"], Directory.GetFiles(_temp["out"]).Select(Path.GetFileName));
        Assert.False(File.Exists(_temp["bundle.lock.json"]));
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>What ResolveBundlePackages makes of a nuget package with a dependency from <paramref name="feed"/> and a folder archive.</summary>
    private ITaskItem[] ResolveRemoteAndFolder(LoopbackServer feed)
    {
        Directory.CreateDirectory(_temp["archives"]);
        TestArchives.Zip(_temp["archives/delta.1.0.0.zip"], ArchiveContent.Sample("delta"));
        var sources = new[]
        {
            new TaskItem("feed", new Dictionary<string, string> { ["Type"] = "nuget", ["Url"] = NuGetTestFeed.ServiceIndex(feed).AbsoluteUri, ["TargetFramework"] = "net8.0", ["Transitive"] = "true" }),
            new TaskItem("local", new Dictionary<string, string> { ["Type"] = "folder", ["Path"] = "archives" }),
        };
        var packages = new[]
        {
            new TaskItem("A.First", new Dictionary<string, string> { ["Version"] = "1.0.0", ["Source"] = "feed" }),
            new TaskItem("delta", new Dictionary<string, string> { ["Version"] = "1.0.0", ["Source"] = "local" }),
        };
        var engine = new RecordingBuildEngine();
        var resolve = new ResolveBundlePackages { BuildEngine = engine, Packages = packages, Sources = sources, ProjectDirectory = _temp.Path, WorkDirectory = _temp["obj"] };
        Assert.True(resolve.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        Assert.DoesNotContain(feed.Requests, r => r.Path.EndsWith(".nupkg", StringComparison.Ordinal));
        return resolve.ResolvedPackages;
    }


    /// <summary>The item ResolveBundlePackages makes for one archive of a folder source.</summary>
    private ITaskItem Resolved(string id, string version)
    {
        Directory.CreateDirectory(_temp["archives"]);
        TestArchives.Zip(_temp[$"archives/{id}.{version}.zip"], ArchiveContent.Sample(id));
        var package = new TaskItem(id, new Dictionary<string, string> { ["Version"] = version });
        var source = new TaskItem("local", new Dictionary<string, string> { ["Type"] = "folder", ["Path"] = "archives" });
        var resolve = new ResolveBundlePackages { BuildEngine = new RecordingBuildEngine(), Packages = [package], Sources = [source], ProjectDirectory = _temp.Path };
        Assert.True(resolve.Execute());
        return Assert.Single(resolve.ResolvedPackages);
    }
}
