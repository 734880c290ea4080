using Bundler.Core.Publishing;
using Bundler.Core.Sources.Folder;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Build.Tests;

/// <summary>samples/RuntimeLoader, run as a program, loads a bundle from a file and over HTTP and prints what it loaded.</summary>
public sealed class RuntimeLoaderSampleTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task RuntimeLoaderSample_FileOrPublishFolderOverHttp_LoadsInEveryMode()
    {
        Directory.CreateDirectory(_temp["archives"]);
        TestArchives.TarGz(_temp["archives/epsilon.1.0.0.tgz"], new ArchiveContent().Add("package/index.js", "epsilon"));
        await PublishFolderWriter.WriteAsync(FolderArchiveScanner.Scan(_temp["archives"]), _temp["served"]);
        await using var server = await LoopbackServer.ServeDirectoryAsync(_temp["served"]);
        var bundle = "/" + PublishFolder.BundleName(_temp["served"]);

        var loads = new[]
        {
            (Source: PublishFolder.BundlePath(_temp["served"]), Mode: "bundle", Target: _temp["from-file"]),
            (Source: server.Url("").ToString(), Mode: "bundle", Target: _temp["bundle"]),
            (Source: server.Url("").ToString(), Mode: "files", Target: _temp["files"]),
            (Source: server.Url("").ToString(), Mode: "ranges", Target: _temp["ranges"]),
        };
        foreach (var (source, mode, target) in loads)
        {
            var run = await DotNet.RunAsync(_temp.Path, null, Path.Combine(AppContext.BaseDirectory, "RuntimeLoader.dll"), source, target, mode);

            run.EnsureSuccess();
            Assert.Contains(mode + ": 1 packages, 1 files, 7 bytes", run.Output, StringComparison.Ordinal);
            Assert.Contains("Loaded 1 packages, 1 files (7 bytes)", run.Output, StringComparison.Ordinal);
            Assert.Equal("epsilon", File.ReadAllText(Path.Combine(target, "epsilon/1.0.0/package/index.js")));
        }

        await server.WaitForRequestsAsync(r => r.Path == bundle && r.Range is not null);
        Assert.Equal(3, server.CountPath("/index.json"));
        Assert.Equal(1, server.Count(r => r.Path == bundle && r.Range is null));
        Assert.True(server.Count(r => r.Path == bundle && r.Range is not null) >= 1, "ranges mode sent no Range request");
        Assert.Equal(1, server.CountPath("/" + PublishFolder.ArchiveName(_temp["served"], "epsilon.1.0.0.tgz")));
    }

    [Fact]
    public async Task RuntimeLoaderSample_Pinned_LoadsTheBundleItWasGivenAndRefusesAnother()
    {
        Directory.CreateDirectory(_temp["archives"]);
        Directory.CreateDirectory(_temp["other-archives"]);
        TestArchives.TarGz(_temp["archives/epsilon.1.0.0.tgz"], new ArchiveContent().Add("package/index.js", "epsilon"));
        TestArchives.TarGz(_temp["other-archives/zeta.1.0.0.tgz"], new ArchiveContent().Add("package/index.js", "zeta"));
        var published = await PublishFolderWriter.WriteAsync(FolderArchiveScanner.Scan(_temp["archives"]), _temp["served"]);
        await PublishFolderWriter.WriteAsync(FolderArchiveScanner.Scan(_temp["other-archives"]), _temp["other"]);
        var loader = Path.Combine(AppContext.BaseDirectory, "RuntimeLoader.dll");

        var pinned = await DotNet.RunAsync(_temp.Path, null, loader, _temp["served"], _temp["pinned"], "files", published.Bundle.Integrity);
        var refused = await DotNet.RunAsync(_temp.Path, null, loader, _temp["other"], _temp["refused"], "bundle", published.Bundle.Integrity);

        pinned.EnsureSuccess();
        Assert.Equal("epsilon", File.ReadAllText(Path.Combine(_temp["pinned"], "epsilon/1.0.0/package/index.js")));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(published.Bundle.Integrity, refused.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp["refused"]));
    }

    [Fact]
    public async Task RuntimeLoaderSample_BrokenBundle_IsRefusedNamingIt()
    {
        File.WriteAllText(_temp["broken.tar.zst"], "not a bundle");

        var run = await DotNet.RunAsync(_temp.Path, null, Path.Combine(AppContext.BaseDirectory, "RuntimeLoader.dll"), _temp["broken.tar.zst"], _temp["out"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(_temp["broken.tar.zst"] + ": ", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp["out"]));
    }

    [Theory]
    [InlineData("only-one-argument")]
    [InlineData("location", "")]
    [InlineData("location", "target", "sideways")]
    public async Task RuntimeLoaderSample_BadArguments_ExitWithUsage(params string[] arguments)
    {
        var run = await DotNet.RunAsync(_temp.Path, null, [Path.Combine(AppContext.BaseDirectory, "RuntimeLoader.dll"), .. arguments]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("usage: RuntimeLoader", run.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
