using Bundler.Core.Publishing;
using Bundler.Core.Sources.Folder;
using Bundler.Core.Writing;
using Bundler.Testing;

namespace Bundler.Core.Tests.Writing;

/// <summary>An options value out of range is the calling code's mistake: ArgumentOutOfRangeException naming it, nothing written.</summary>
public sealed class BundleWriterOptionsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, BundleWriterOptions> OutOfRange => new()
    {
        { nameof(BundleWriterOptions.CompressionLevel), new BundleWriterOptions { CompressionLevel = 0 } },
        { nameof(BundleWriterOptions.CompressionLevel), new BundleWriterOptions { CompressionLevel = 23 } },
        { nameof(BundleWriterOptions.CompressionLevel), new BundleWriterOptions { CompressionLevel = -8 } },
        { nameof(BundleWriterOptions.MaxFrameSize), new BundleWriterOptions { MaxFrameSize = 100_000 } },
        { nameof(BundleWriterOptions.MaxFrameSize), new BundleWriterOptions { MaxFrameSize = 32 * 1024 } },
        { nameof(BundleWriterOptions.MaxDegreeOfParallelism), new BundleWriterOptions { MaxDegreeOfParallelism = 0 } },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task WriteAsync_OptionOutOfRange_ThrowsNamingItAndWritesNothing(string property, BundleWriterOptions options)
    {
        var packages = SamplePackagesIn(_temp["in"]);

        var bundle = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => BundleWriter.WriteAsync(packages, _temp["b.tar.zst"], options));
        var publish = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => PublishFolderWriter.WriteAsync(packages, _temp["pub"], options));

        Assert.Equal((property, property), (bundle.ParamName, publish.ParamName));
        Assert.Equal(["in"], Directory.EnumerateFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(-7, true)]
    [InlineData(-1, true)]
    [InlineData(0, false)]
    [InlineData(22, true)]
    [InlineData(23, false)]
    public void IsValidCompressionLevel_Level_MatchesTheDocumentedRange(int level, bool valid) =>
        Assert.Equal(valid, BundleWriterOptions.IsValidCompressionLevel(level));

    private static List<PackageInput> SamplePackagesIn(string folder)
    {
        Directory.CreateDirectory(folder);
        TestArchives.Zip(Path.Combine(folder, "Some.Package.1.2.3.nupkg"), ArchiveContent.Sample("Some.Package"));
        return [.. FolderArchiveScanner.Scan(folder)];
    }
}
