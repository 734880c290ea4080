using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Format;
using Bundler.Testing;

namespace Bundler.Core.Tests.Writing;

public sealed class StreamedLimitTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task WriteAsync_LaterPackageCrossesFileLimit_NamesItAndKeepsThePreviousOutput()
    {
        var inputs = Enumerable.Range(0, 12).Select(i => new PackageInput
        {
            Id = $"pkg{i:D2}",
            Version = "1.0.0",
            ArchivePath = TestArchives.Zip(_temp[$"pkg{i:D2}.zip"], ArchiveContent.Sample($"pkg{i:D2}", seed: i, blobSize: 100)),
        }).ToList();
        var filesPerPackage = ArchiveContent.Sample("x").Files.Count;
        var output = Path.Combine(_temp.Path, "out", "bundle.tar.zst");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, "previous");

        var limits = new BundleLimits { MaxFileCount = (filesPerPackage * 7) + 1 };
        var error = await Assert.ThrowsAsync<BundleException>(() => BundleWriter.WriteAsync(inputs, output, new BundleWriterOptions { Limits = limits, MaxDegreeOfParallelism = 2 }));

        Assert.Contains("pkg07.zip", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxFileCount", error.Message, StringComparison.Ordinal);
        Assert.Equal("previous", await File.ReadAllTextAsync(output));
        Assert.Equal(["bundle.tar.zst"], Directory.GetFiles(Path.GetDirectoryName(output)!).Select(Path.GetFileName));
    }
}
