using Bundler.Core;
using Bundler.Testing;
using Bundler.Testing.Http;

namespace Bundler.Build.Tests;

/// <summary>samples/RuntimeLoader, run as a program, loads a bundle from a file and over HTTP and prints what it loaded.</summary>
public sealed class RuntimeLoaderSampleTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Sample_LoadsABundleFromAFileAndOverHttp()
    {
        Directory.CreateDirectory(_temp["archives"]);
        TestArchives.TarGz(_temp["archives/epsilon.1.0.0.tgz"], new ArchiveContent().Add("package/index.js", "epsilon"));
        Directory.CreateDirectory(_temp["served"]);
        await BundleWriter.WriteAsync(FolderPackageSource.Scan(_temp["archives"]), _temp["served/b.tar.zst"]);
        await using var server = await LoopbackServer.ServeDirectoryAsync(_temp["served"]);

        foreach (var (source, target) in new[] { (_temp["served/b.tar.zst"], _temp["from-file"]), (server.Url("b.tar.zst").ToString(), _temp["from-http"]) })
        {
            var run = await DotNet.RunAsync(_temp.Path, null, Path.Combine(AppContext.BaseDirectory, "RuntimeLoader.dll"), source, target);

            run.EnsureSuccess();
            Assert.Contains("epsilon 1.0.0: 1 files, 7 bytes", run.Output, StringComparison.Ordinal);
            Assert.Contains("Loaded 1 packages, 1 files (7 bytes)", run.Output, StringComparison.Ordinal);
            Assert.Equal("epsilon", File.ReadAllText(Path.Combine(target, "epsilon/1.0.0/package/index.js")));
        }

        Assert.Equal(1, server.CountPath("/b.tar.zst"));
    }

    [Fact]
    public async Task Sample_RefusesABrokenBundleNamingIt()
    {
        File.WriteAllText(_temp["broken.tar.zst"], "not a bundle");

        var run = await DotNet.RunAsync(_temp.Path, null, Path.Combine(AppContext.BaseDirectory, "RuntimeLoader.dll"), _temp["broken.tar.zst"], _temp["out"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(_temp["broken.tar.zst"] + ": ", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp["out"]));
    }

    public void Dispose() => _temp.Dispose();
}
