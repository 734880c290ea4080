using Bundler.Testing.Loading;
using Bundler.Core.Publishing;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Loader.Unpacking;
using Bundler.Testing;
using Bundler.Testing.Hostile;

namespace Bundler.Loader.Tests.Format;

/// <summary>
/// Every <see cref="BundleLimits"/> bound can be moved through the API (BundleWriterOptions, UnpackOptions,
/// PackageLoadOptions). Where an archive over a default is cheap to make, the default refuses it and a raised limit admits
/// it; the size and count defaults (4 GiB, 32 GiB, a million files) are shown by a lowered limit refusing what the
/// default admits.
/// </summary>
public sealed class LimitOverrideTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, BundleLimits> RaisedLimits => new()
    {
        { "zip-bomb", new BundleLimits { MaxCompressionRatio = 2000 } },
        { "zip-bomb", new BundleLimits { CompressionRatioThreshold = 32L * 1024 * 1024 } },
        { "gzip-bomb", new BundleLimits { MaxCompressionRatio = 2000 } },
        { "zstd-bomb-undeclared-size", new BundleLimits { MaxCompressionRatio = 100_000 } },
    };

    [Theory]
    [MemberData(nameof(RaisedLimits))]
    public async Task Pack_BombAboveDefaultLimit_RefusedUnlessLimitRaised(string corpusName, BundleLimits raised)
    {
        var archive = Write(HostileCorpus.Get(corpusName));

        var error = await Assert.ThrowsAsync<BundleException>(() => BundleWriter.WriteAsync([Input(archive)], _temp["default.tar.zst"]));
        var result = await BundleWriter.WriteAsync([Input(archive)], _temp["raised.tar.zst"], new BundleWriterOptions { Limits = raised });

        Assert.Contains("MaxCompressionRatio", error.Message, StringComparison.Ordinal);
        Assert.Contains(result.Manifest.Packages[0].Files, f => f.Path == "zeros.bin" && f.Size >= 17 * 1024 * 1024);
    }

    [Fact]
    public async Task FilesMode_ZstdBombAboveDefaultLimit_RefusedUnlessLimitRaised()
    {
        var archive = Write(HostileCorpus.Get("zstd-bomb-undeclared-size"));
        var publish = _temp["publish"];
        await LegacyPublishFolder.WriteAsync([Input(archive)], publish, new BundleWriterOptions { Limits = new BundleLimits { MaxCompressionRatio = 100_000 } });

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(publish, _temp["default/target"], new PackageLoadOptions { Mode = LoadMode.Files }));
        await PackageLoader.LoadAsync(publish, _temp["raised/target"], new PackageLoadOptions { Mode = LoadMode.Files, Limits = new BundleLimits { MaxCompressionRatio = 100_000 } });

        Assert.Contains("MaxCompressionRatio", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp["default/target"]));
        Assert.Equal(64L * 1024 * 1024, new FileInfo(_temp["raised/target/hostile/1.0.0/zeros.bin"]).Length);
    }

    [Fact]
    public async Task Pack_PathAboveDefaultLength_RefusedUnlessLimitRaised()
    {
        var path = string.Join('/', Enumerable.Repeat(new string('d', 99), 11)) + "/file.txt";
        var archive = TestArchives.Zip(_temp["long.zip"], new ArchiveContent().Add(path, "x"));

        var error = await Assert.ThrowsAsync<BundleException>(() => BundleWriter.WriteAsync([Input(archive)], _temp["default.tar.zst"]));
        var result = await BundleWriter.WriteAsync([Input(archive)], _temp["raised.tar.zst"], new BundleWriterOptions { Limits = new BundleLimits { MaxPathLength = 2048 } });

        Assert.Contains("longer than 1024 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(path, Assert.Single(result.Manifest.Packages[0].Files).Path);
    }

    public static TheoryData<string, BundleLimits> LoweredPackLimits => new()
    {
        { "MaxFileSize", new BundleLimits { MaxFileSize = 1000 } },
        { "MaxTotalSize", new BundleLimits { MaxTotalSize = 1000 } },
        { "MaxFileCount", new BundleLimits { MaxFileCount = 2 } },
    };

    [Theory]
    [MemberData(nameof(LoweredPackLimits))]
    public async Task Pack_LoweredLimit_RefusesWhatTheDefaultAdmits(string limit, BundleLimits lowered)
    {
        var archive = TestArchives.Zip(_temp["sample.zip"], ArchiveContent.Sample("sample"));

        await BundleWriter.WriteAsync([Input(archive)], _temp["default.tar.zst"]);
        var error = await Assert.ThrowsAsync<BundleException>(() => BundleWriter.WriteAsync([Input(archive)], _temp["lowered.tar.zst"], new BundleWriterOptions { Limits = lowered }));

        Assert.Contains(limit, error.Message, StringComparison.Ordinal);
        Assert.Contains("sample.zip", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, BundleLimits> LoweredUnpackLimits => new()
    {
        { "MaxFileSize", new BundleLimits { MaxFileSize = 1000 } },
        { "MaxTotalSize", new BundleLimits { MaxTotalSize = 1000 } },
        { "MaxFileCount", new BundleLimits { MaxFileCount = 2 } },
        { "longer than 10 bytes", new BundleLimits { MaxPathLength = 10 } },
    };

    [Theory]
    [MemberData(nameof(LoweredUnpackLimits))]
    public async Task UnpackAndLoad_LoweredLimit_RefuseWhatTheDefaultAdmits(string limit, BundleLimits lowered)
    {
        var archive = TestArchives.Zip(_temp["sample.zip"], ArchiveContent.Sample("sample"));
        var publish = (await LegacyPublishFolder.WriteAsync([Input(archive)], _temp["publish"])).Location;

        await using (var bundle = File.OpenRead(Path.Combine(publish, "packages.tar.zst")))
        {
            await BundleReader.UnpackAsync(bundle, _temp["default/target"]);
        }

        await using (var bundle = File.OpenRead(Path.Combine(publish, "packages.tar.zst")))
        {
            var unpack = await Assert.ThrowsAsync<BundleException>(() => BundleReader.UnpackAsync(bundle, _temp["lowered/target"], new UnpackOptions { Limits = lowered }));
            Assert.Contains(limit, unpack.Message, StringComparison.Ordinal);
        }

        var load = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(publish, _temp["lowered/target"], new PackageLoadOptions { Mode = LoadMode.Files, Limits = lowered }));
        Assert.Contains(limit, load.Message, StringComparison.Ordinal);
        Assert.Equal(5, TreeAssert.Snapshot(_temp["default/target"]).Count);
        Assert.False(Directory.Exists(_temp["lowered/target"]));
    }

    private string Write(HostileArchive item)
    {
        var path = _temp[item.FileName];
        File.WriteAllBytes(path, item.Build());
        return path;
    }

    private static PackageInput Input(string archive) => new() { Id = "hostile", Version = "1.0.0", ArchivePath = archive };
}
