using Bundler.Testing.Loading;
using Bundler.Core.Publishing;
using Bundler.Core.Sources.Folder;
using Bundler.Core.Writing;
using Bundler.Loader.Archives;
using Bundler.Loader.Loading;
using Bundler.Loader.Unpacking;
using Bundler.Testing;

namespace Bundler.Loader.Tests.Archives;

public sealed class ArchiveFormatDetectorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F, 0xFD, 0 }, "TarZstd")]
    [InlineData(new byte[] { 0x50, 0x2A, 0x4D, 0x18, 0 }, "TarZstd")]
    [InlineData(new byte[] { 0x5B, 0x2A, 0x4D, 0x18, 0 }, "TarZstd")]
    [InlineData(new byte[] { 0x5F, 0x2A, 0x4D, 0x18, 0 }, "TarZstd")]
    [InlineData(new byte[] { 0x60, 0x2A, 0x4D, 0x18, 0 }, "Unknown")]
    [InlineData(new byte[] { 0x50, 0x2A, 0x4D }, "Unknown")]
    public void Detect_ZstdMagicOrSkippableFrame_IsTarZstd(byte[] head, string expected) =>
        Assert.Equal(expected, ArchiveFormatDetector.Detect(head).ToString());

    [Theory]
    [InlineData(LoadMode.Bundle)]
    [InlineData(LoadMode.Files)]
    public async Task Pack_ABundleAsAnInputArchive_BundlesItsTarEntries(LoadMode mode)
    {
        var inner = SamplePackages.WriteAllKinds(Directory.CreateDirectory(_temp["archives"]).FullName);
        Directory.CreateDirectory(_temp["in"]);
        await BundleWriter.WriteAsync(inner.Select(p => p.Input), _temp["in/inner.1.0.0.tar.zst"]);
        await using (var innerBundle = File.OpenRead(_temp["in/inner.1.0.0.tar.zst"]))
        {
            await BundleReader.UnpackAsync(innerBundle, _temp["expected/inner/1.0.0"]);
        }

        await LegacyPublishFolder.WriteAsync(FolderArchiveScanner.Scan(_temp["in"]), _temp["publish"]);
        await PackageLoader.LoadAsync(_temp["publish"], _temp["loaded"], new PackageLoadOptions { Mode = mode });

        TreeAssert.Equal(_temp["expected"], _temp["loaded"]);
    }
}
