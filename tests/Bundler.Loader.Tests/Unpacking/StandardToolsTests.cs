using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Loader.Unpacking;
using Bundler.Testing;

namespace Bundler.Loader.Tests.Unpacking;

/// <summary>A bundle is a plain tar.zst: the standard tools unpack it to the same tree as our reader.</summary>
public sealed class StandardToolsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [ToolFact("zstd", "tar")]
    public async Task Bundle_ZstdPipedToTar_UnpacksTheSameTreeAsTheReader()
    {
        var packages = SamplePackages.WriteAllKinds(_temp.Path);
        var longName = new ArchiveContent().Add(string.Join('/', Enumerable.Repeat("long-folder-name", 9)) + "/f.txt", "long");
        packages.Add((new PackageInput { Id = "long", Version = "1.0.0", ArchivePath = TestArchives.Zip(_temp["long.zip"], longName) }, longName));
        await BundleWriter.WriteAsync(packages.Select(p => p.Input), _temp["b.tar.zst"], new BundleWriterOptions { MaxFrameSize = 64 * 1024 });
        await using (var stream = File.OpenRead(_temp["b.tar.zst"]))
        {
            await BundleReader.UnpackAsync(stream, _temp["ours"]);
        }

        Directory.CreateDirectory(_temp["theirs"]);
        var (exitCode, _, error) = ExternalTool.Shell($"zstd -dc '{_temp["b.tar.zst"]}' | tar -x -C '{_temp["theirs"]}'");

        Assert.True(exitCode == 0, error);
        TreeAssert.Equal(_temp["ours"], _temp["theirs"]);
        TreeAssert.Holds(_temp["theirs"], SamplePackages.ExpectedTree(packages));
    }

    [ToolFact("zstd")]
    public async Task Bundle_ZstdTest_AcceptsItSkippableManifestFrameIncluded()
    {
        var packages = SamplePackages.WriteAllKinds(_temp.Path);
        await BundleWriter.WriteAsync(packages.Select(p => p.Input), _temp["b.tar.zst"]);

        var (exitCode, _, error) = ExternalTool.Shell($"zstd -t -q '{_temp["b.tar.zst"]}'");

        Assert.True(exitCode == 0, error);
    }

    [ToolFact("tar", "zstd")]
    public async Task Bundle_TarList_ShowsEveryFileOfTheManifestInOrder()
    {
        var packages = SamplePackages.WriteAllKinds(_temp.Path);
        var written = await BundleWriter.WriteAsync(packages.Select(p => p.Input), _temp["b.tar.zst"]);

        var (exitCode, output, error) = ExternalTool.Shell($"zstd -dc '{_temp["b.tar.zst"]}' | tar -t");

        Assert.True(exitCode == 0, error);
        var expected = written.Manifest.Packages.SelectMany(p => new[] { p.Folder + "/" }.Concat(p.Files.Select(f => p.Folder + "/" + f.Path)));
        Assert.Equal(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
