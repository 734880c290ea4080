using System.Text;
using Bundler.Core.Download;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Loader.Unpacking;
using Bundler.Testing;
using Bundler.Testing.IO;

namespace Bundler.Loader.Tests.Unpacking;

public sealed class RoundTripTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task PackThenUnpack_EveryArchiveKind_GivesExactlyTheFilesWithTheirBytes()
    {
        var packages = SamplePackages.WriteAllKinds(_temp.Path);
        var bundle = _temp["out/all.tar.zst"];

        var written = await BundleWriter.WriteAsync(packages.Select(p => p.Input), bundle);
        await using var stream = File.OpenRead(bundle);
        var result = await BundleReader.UnpackAsync(stream, _temp["tree"]);

        TreeAssert.Holds(_temp["tree"], SamplePackages.ExpectedTree(packages));
        Assert.Equal(packages.Count, written.Manifest.Packages.Count);
        Assert.Equal(packages.Sum(p => p.Content.Files.Count), result.FileCount);
        Assert.Equal(new FileInfo(bundle).Length, result.BundleBytes);
    }

    [Fact]
    public async Task Unpack_ExecutableFile_KeepsItsExecuteBit()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no POSIX modes to check
        }

        var content = ArchiveContent.Sample("exec");
        var input = new PackageInput { Id = "exec", Version = "1.0.0", ArchivePath = TestArchives.TarGz(_temp["exec.tgz"], content) };

        await BundleWriter.WriteAsync([input], _temp["b.tar.zst"]);
        await using var stream = File.OpenRead(_temp["b.tar.zst"]);
        await BundleReader.UnpackAsync(stream, _temp["tree"]);

#pragma warning disable CA1416 // guarded above
        var script = File.GetUnixFileMode(_temp["tree/exec/1.0.0/tools/run.sh"]);
        var readme = File.GetUnixFileMode(_temp["tree/exec/1.0.0/README.md"]);
#pragma warning restore CA1416
        Assert.True(script.HasFlag(UnixFileMode.UserExecute));
        Assert.False(readme.HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public async Task PackThenUnpack_IncludeAndExcludeGlobs_SelectFilesPerPackage()
    {
        var content = ArchiveContent.Sample("globbed");
        var input = new PackageInput
        {
            Id = "globbed",
            Version = "2.0.0",
            ArchivePath = TestArchives.Zip(_temp["globbed.zip"], content),
            Include = ["lib/**/*", "README.md"],
            Exclude = ["**/*.xml"],
        };

        var written = await BundleWriter.WriteAsync([input], _temp["b.tar.zst"]);
        await using var stream = File.OpenRead(_temp["b.tar.zst"]);
        await BundleReader.UnpackAsync(stream, _temp["tree"]);

        TreeAssert.Holds(_temp["tree"], new Dictionary<string, byte[]>
        {
            ["globbed/2.0.0/README.md"] = content.Files["README.md"],
            ["globbed/2.0.0/lib/net8.0/globbed.dll"] = content.Files["lib/net8.0/globbed.dll"],
        });
        Assert.Equal(["lib/**/*", "README.md"], written.Manifest.Packages[0].Include);
        Assert.Equal(["**/*.xml"], written.Manifest.Packages[0].Exclude);
    }

    [Fact]
    public async Task PackThenUnpack_KeepArchive_GivesTheArchiveWholeAsThePackagesOneFile()
    {
        var archive = TestArchives.Zip(_temp["numpy-1.26.0-cp312-none-any.whl"], ArchiveContent.Sample("numpy"));
        var input = new PackageInput { Id = "numpy", Version = "1.26.0", ArchivePath = archive, KeepArchive = true };

        var written = await BundleWriter.WriteAsync([input], _temp["b.tar.zst"]);
        await using var stream = File.OpenRead(_temp["b.tar.zst"]);
        await BundleReader.UnpackAsync(stream, _temp["tree"]);

        TreeAssert.Holds(_temp["tree"], new Dictionary<string, byte[]>
        {
            ["numpy/1.26.0/numpy-1.26.0-cp312-none-any.whl"] = File.ReadAllBytes(archive),
        });
        Assert.True(written.Manifest.Packages[0].KeepArchive);
    }

    [Fact]
    public async Task Pack_LargePackage_SpansSeveralFramesNoneSharedWithAnother()
    {
        var big = new ArchiveContent().Add("big.bin", RandomBytes(700_000, 5)).Add("small.txt", "small");
        var inputs = new[]
        {
            new PackageInput { Id = "a-big", Version = "1.0.0", ArchivePath = TestArchives.Zip(_temp["a.zip"], big) },
            new PackageInput { Id = "b-small", Version = "1.0.0", ArchivePath = TestArchives.Zip(_temp["b.zip"], ArchiveContent.Sample("b")) },
        };

        var written = await BundleWriter.WriteAsync(inputs, _temp["b.tar.zst"], new BundleWriterOptions { MaxFrameSize = 64 * 1024 });
        await using var stream = File.OpenRead(_temp["b.tar.zst"]);
        await BundleReader.UnpackAsync(stream, _temp["tree"]);

        var manifest = written.Manifest;
        Assert.True(manifest.Packages[0].FrameCount >= 11, $"expected the 700 KB package to span 11+ frames, got {manifest.Packages[0].FrameCount}");
        Assert.Equal(manifest.Packages[0].FirstFrame + manifest.Packages[0].FrameCount, manifest.Packages[1].FirstFrame);
        Assert.All(manifest.Frames, f => Assert.True(f.TarSize <= 64 * 1024));
        Assert.Equal(manifest.Packages[1].TarOffset, manifest.Frames[manifest.Packages[1].FirstFrame].TarOffset);
        Assert.Equal(big.Files["big.bin"], File.ReadAllBytes(_temp["tree/a-big/1.0.0/big.bin"]));
    }

    [Fact]
    public async Task PackThenUnpack_LongUnicodePathsAndEmptyFiles_RoundTrip()
    {
        var longPath = string.Join('/', Enumerable.Repeat("a-rather-long-folder-name", 8)) + "/file.txt";
        var content = new ArchiveContent()
            .Add(longPath, "deep")
            .Add("données/ünïcödé-名前.txt", "unicode")
            .Add("empty.txt", Array.Empty<byte>());
        var input = new PackageInput { Id = "paths", Version = "1.0.0-beta.1", ArchivePath = TestArchives.TarGz(_temp["p.tgz"], content) };

        await BundleWriter.WriteAsync([input], _temp["b.tar.zst"]);
        await using var stream = File.OpenRead(_temp["b.tar.zst"]);
        await BundleReader.UnpackAsync(stream, _temp["tree"]);

        TreeAssert.Holds(_temp["tree"], content.Files.ToDictionary(f => "paths/1.0.0-beta.1/" + f.Key, f => f.Value));
        Assert.True(Encoding.UTF8.GetByteCount(longPath) > 100);
    }

    [Fact]
    public async Task Verify_ValidBundle_ChecksEveryFileAndWritesNothing()
    {
        var packages = SamplePackages.WriteAllKinds(_temp.Path);
        await BundleWriter.WriteAsync(packages.Select(p => p.Input), _temp["b.tar.zst"]);
        var before = TreeAssert.Listing(_temp.Path);

        await using var stream = File.OpenRead(_temp["b.tar.zst"]);
        var result = await BundleReader.VerifyAsync(stream);

        Assert.Equal(packages.Sum(p => p.Content.Files.Count), result.FileCount);
        Assert.Equal(before, TreeAssert.Listing(_temp.Path));
    }

    [Fact]
    public async Task Unpack_IntoExistingTarget_ReplacesThePackageAndKeepsOthers()
    {
        Directory.CreateDirectory(_temp["tree/other/1.0.0"]);
        File.WriteAllText(_temp["tree/other/1.0.0/keep.txt"], "keep");
        Directory.CreateDirectory(_temp["tree/pkg/1.0.0"]);
        File.WriteAllText(_temp["tree/pkg/1.0.0/stale.txt"], "stale");
        var content = new ArchiveContent().Add("fresh.txt", "fresh");
        var input = new PackageInput { Id = "pkg", Version = "1.0.0", ArchivePath = TestArchives.Zip(_temp["pkg.zip"], content) };
        await BundleWriter.WriteAsync([input], _temp["b.tar.zst"]);

        await using var stream = File.OpenRead(_temp["b.tar.zst"]);
        await BundleReader.UnpackAsync(stream, _temp["tree"]);

        TreeAssert.Holds(_temp["tree"], new Dictionary<string, byte[]>
        {
            ["other/1.0.0/keep.txt"] = "keep"u8.ToArray(),
            ["pkg/1.0.0/fresh.txt"] = "fresh"u8.ToArray(),
        });
        Assert.Equal(["b.tar.zst", "pkg.zip", "tree"], TreeAssert.Listing(_temp.Path));
    }

    [Fact]
    public async Task Unpack_OverANonSeekableStream_Works()
    {
        var packages = SamplePackages.WriteAllKinds(_temp.Path);
        await BundleWriter.WriteAsync(packages.Select(p => p.Input), _temp["b.tar.zst"]);

        await using var stream = new ForwardOnlyStream(File.OpenRead(_temp["b.tar.zst"]), maxChunk: 7_000);
        await BundleReader.UnpackAsync(stream, _temp["tree"]);

        TreeAssert.Holds(_temp["tree"], SamplePackages.ExpectedTree(packages));
    }

    [Fact]
    public async Task Pack_SymlinkedArchive_MeasuredByTheFileItPointsTo()
    {
        var archive = TestArchives.Zip(_temp["real.zip"], ArchiveContent.Sample("linked"));
        File.CreateSymbolicLink(_temp["linked.1.0.0.zip"], archive);
        var input = new PackageInput { Id = "linked", Version = "1.0.0", ArchivePath = _temp["linked.1.0.0.zip"] };

        var written = await BundleWriter.WriteAsync([input], _temp["b.tar.zst"]);

        Assert.Equal(new FileInfo(archive).Length, written.Manifest.Packages[0].Archive.Size);
    }

    /// <summary>An archive the download engine verified against a sha512 is not hashed again.</summary>
    [Fact]
    public async Task Pack_VerifiedSha512_RecordedWithoutHashingTheArchive()
    {
        var archive = TestArchives.TarGz(_temp["tool.tgz"], ArchiveContent.Sample("tool"));
        var verified = "sha512-" + Convert.ToBase64String(new byte[64]);
        var input = new PackageInput { Id = "tool", Version = "1.0.0", ArchivePath = archive, VerifiedSha512 = verified };

        var written = await BundleWriter.WriteAsync([input], _temp["out.tar.zst"]);

        Assert.Equal(verified, Assert.Single(written.Manifest.Packages).Archive.Integrity);
    }

    internal static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
