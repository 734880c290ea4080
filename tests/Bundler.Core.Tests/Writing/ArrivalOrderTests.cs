using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Bundler.Core.Sources.Folder;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Testing;
using Bundler.Testing.Hostile;

namespace Bundler.Core.Tests.Writing;

/// <summary>
/// The writer takes packages as their archives arrive (as downloads finish): whatever the order and the timing, the
/// bundle is the one the whole set gives, and a failure stops it at once leaving nothing behind.
/// </summary>
public sealed class ArrivalOrderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public ArrivalOrderTests()
    {
        Directory.CreateDirectory(_temp["out"]);
        File.WriteAllText(_temp["out/bundle.tar.zst"], "previous output");
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Write_SampleArchivesArrivingInARandomOrder_GivesThePinnedBytes(int seed)
    {
        var random = new Random(seed);
        var packages = FolderArchiveScanner.Scan(Path.Combine(RepositoryRoot.Path, "samples", "archives")).ToList();
        var order = packages.OrderBy(_ => random.Next()).ToList();

        await BundleWriter.WriteAsync(ArriveAsync(order, random), _temp["out/bundle.tar.zst"], options: null, written: null, CancellationToken.None);

        Assert.Equal(PinnedBundleBytesTests.DefaultOptionsSha256, Hash(_temp["out/bundle.tar.zst"]));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 8)]
    public async Task Write_EveryKindArrivingInARandomOrder_SameBytesAsTheWholeSet(int seed, int parallelism)
    {
        var random = new Random(seed);
        var packages = SamplePackages.WriteAllKinds(_temp.Path).Select(p => p.Input).ToList();
        var big = TestArchives.TarGz(_temp["big.2.0.0.tgz"], ArchiveContent.Sample("big", 9, blobSize: 300_000));
        packages.Add(new PackageInput { Id = "big", Version = "2.0.0", ArchivePath = big });
        var options = new BundleWriterOptions { MaxFrameSize = 64 * 1024, MaxDegreeOfParallelism = parallelism };
        await BundleWriter.WriteAsync(packages, _temp["whole.tar.zst"], options);

        var order = packages.OrderBy(_ => random.Next()).ToList();
        var result = await BundleWriter.WriteAsync(ArriveAsync(order, random), _temp["arrived.tar.zst"], options, written: null, CancellationToken.None);

        Assert.Contains(result.Manifest.Packages, p => p.FrameCount > 1);
        Assert.NotEqual(result.Manifest.Packages.Select(p => p.Id), order.Select(p => p.Id));
        Assert.Equal(Hash(_temp["whole.tar.zst"]), Hash(_temp["arrived.tar.zst"]));
    }

    [Fact]
    public async Task Write_HostileArchiveArrivesWhileOthersAreAwaited_FailsAtOnceNamingItAndLeavesNothing()
    {
        var good = SamplePackages.WriteAllKinds(_temp.Path).Select(p => p.Input).ToList();
        var hostile = HostileCorpus.Archives.First(a => a.Name == "zip-slip");
        var hostilePath = _temp[hostile.FileName];
        await File.WriteAllBytesAsync(hostilePath, hostile.Build());
        var hostileInput = new PackageInput { Id = "hostile", Version = "1.0.0", ArchivePath = hostilePath };

        // The sequence never ends: only the hostile package can end the write.
        var write = BundleWriter.WriteAsync(ArriveThenWaitAsync([.. good, hostileInput]), _temp["out/bundle.tar.zst"], options: null, written: null, CancellationToken.None);
        var error = await Assert.ThrowsAsync<BundleException>(() => write.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains(hostilePath, error.Message, StringComparison.Ordinal);
        Assert.Contains(hostile.Entry, error.Message, StringComparison.Ordinal);
        Assert.Equal("previous output", File.ReadAllText(_temp["out/bundle.tar.zst"]));
        Assert.Equal(["bundle.tar.zst"], TreeAssert.Listing(_temp["out"]));
    }

    [Fact]
    public async Task Write_CancelledWhileArchivesArrive_ThrowsAndLeavesNothing()
    {
        var packages = SamplePackages.WriteAllKinds(_temp.Path).Select(p => p.Input).ToList();
        using var cancel = new CancellationTokenSource();

        var write = BundleWriter.WriteAsync(ArriveThenWaitAsync(packages, afterLast: () => cancel.Cancel()), _temp["out/bundle.tar.zst"], options: null, written: null, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("previous output", File.ReadAllText(_temp["out/bundle.tar.zst"]));
        Assert.Equal(["bundle.tar.zst"], TreeAssert.Listing(_temp["out"]));
    }

    [Fact]
    public async Task Write_SequenceFails_ThrowsItsErrorAndLeavesNothing()
    {
        var packages = SamplePackages.WriteAllKinds(_temp.Path).Select(p => p.Input).ToList();

        var error = await Assert.ThrowsAsync<IOException>(() => BundleWriter.WriteAsync(FailAfterAsync(packages), _temp["out/bundle.tar.zst"], options: null, written: null, CancellationToken.None));

        Assert.Equal("download of the last archive failed", error.Message);
        Assert.Equal("previous output", File.ReadAllText(_temp["out/bundle.tar.zst"]));
        Assert.Equal(["bundle.tar.zst"], TreeAssert.Listing(_temp["out"]));
    }

    [Fact]
    public async Task Write_SamePackageArrivesTwice_RefusedNamingBothArchives()
    {
        var packages = SamplePackages.WriteAllKinds(_temp.Path).Select(p => p.Input).ToList();
        var twice = packages[0] with { ArchivePath = packages[1].ArchivePath };

        var error = await Assert.ThrowsAsync<BundleException>(() => BundleWriter.WriteAsync(ArriveAsync([twice, .. packages], new Random(1)), _temp["out/bundle.tar.zst"], options: null, written: null, CancellationToken.None));

        Assert.Contains("given twice", error.Message, StringComparison.Ordinal);
        Assert.Contains(packages[0].ArchivePath, error.Message, StringComparison.Ordinal);
        Assert.Equal("previous output", File.ReadAllText(_temp["out/bundle.tar.zst"]));
    }

    private static async IAsyncEnumerable<PackageInput> ArriveAsync(IEnumerable<PackageInput> order, Random random)
    {
        foreach (var input in order)
        {
            await Task.Delay(random.Next(0, 30));
            yield return input;
        }
    }

    private static async IAsyncEnumerable<PackageInput> ArriveThenWaitAsync(IEnumerable<PackageInput> order, Action? afterLast = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var input in order)
        {
            yield return input;
        }

        afterLast?.Invoke();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    private static async IAsyncEnumerable<PackageInput> FailAfterAsync(IEnumerable<PackageInput> order)
    {
        foreach (var input in order)
        {
            await Task.Yield();
            yield return input;
        }

        throw new IOException("download of the last archive failed");
    }

    private static string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
