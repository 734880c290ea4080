using System.Security.Cryptography;
using Bundler.Core.Writing;
using Bundler.Testing;

namespace Bundler.Core.Tests.Writing;

public sealed class DeterminismTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task IdenticalBundles_BinaryEqual_WhateverTheInputOrderAndParallelism()
    {
        var packages = SamplePackages.WriteAllKinds(_temp.Path).Select(p => p.Input).ToList();
        var shuffled = packages.OrderBy(p => p.Id.GetHashCode(StringComparison.Ordinal)).Reverse().ToList();
        Assert.NotEqual(packages.Select(p => p.Id), shuffled.Select(p => p.Id));

        await BundleWriter.WriteAsync(packages, _temp["one.tar.zst"], new BundleWriterOptions { MaxFrameSize = 64 * 1024, MaxDegreeOfParallelism = 1 });
        await BundleWriter.WriteAsync(shuffled, _temp["two.tar.zst"], new BundleWriterOptions { MaxFrameSize = 64 * 1024, MaxDegreeOfParallelism = 8 });

        Assert.Equal(Hash(_temp["one.tar.zst"]), Hash(_temp["two.tar.zst"]));
    }

    [Fact]
    public async Task DifferentOptions_GiveDifferentBytes_SoTheComparisonAboveCanFail()
    {
        var packages = SamplePackages.WriteAllKinds(_temp.Path).Select(p => p.Input).ToList();

        await BundleWriter.WriteAsync(packages, _temp["one.tar.zst"], new BundleWriterOptions { CompressionLevel = 1 });
        await BundleWriter.WriteAsync(packages, _temp["two.tar.zst"], new BundleWriterOptions { CompressionLevel = 5 });

        Assert.NotEqual(Hash(_temp["one.tar.zst"]), Hash(_temp["two.tar.zst"]));
    }

    private static string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
