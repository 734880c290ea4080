using System.Security.Cryptography;
using Bundler.Core.Sources.Folder;
using Bundler.Core.Writing;
using Bundler.Testing;

namespace Bundler.Core.Tests.Writing;

/// <summary>
/// The bytes of the sample's bundle, pinned: a change to the writer that alters them fails here, so a refactoring
/// cannot change the format by accident. When a change is meant to alter the bytes (a new format version, another
/// compressor), the pins change with it and docs/FORMAT.md says what changed.
/// </summary>
public sealed class PinnedBundleBytesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The sample's bundle with the default options.</summary>
    internal const string DefaultOptionsSha256 = "db73ed737ad06f0dbf117c501e3317d8e009d2b8871bd5565a7c3772aa6221f3";

    [Theory]
    [InlineData(false, 3, 4 * 1024 * 1024, DefaultOptionsSha256)]
    [InlineData(true, 9, 64 * 1024, "68d3bee410a06706f3c1a5f66dec7771a04f91f1818a37a3b377af9845d2d56a")]
    public async Task Write_SampleArchives_GivesThePinnedBytes(bool nugetLayout, int level, int frameSize, string sha256)
    {
        var packages = FolderArchiveScanner.Scan(Path.Combine(RepositoryRoot.Path, "samples", "archives"))
            .Select(p => p with { NuGetLayout = nugetLayout && p.ArchivePath.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase) })
            .ToList();

        await BundleWriter.WriteAsync(packages, _temp["sample.tar.zst"], new BundleWriterOptions { CompressionLevel = level, MaxFrameSize = frameSize });

        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_temp["sample.tar.zst"]))));
    }
}
