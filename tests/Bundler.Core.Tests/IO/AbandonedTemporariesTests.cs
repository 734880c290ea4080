using Bundler.Core.IO;
using Bundler.Core.Writing;
using Bundler.Testing;

namespace Bundler.Core.Tests.IO;

/// <summary>
/// Temporary files and folders a killed run left (no live process holds them, and they are older than the grace) are
/// removed by the next run; those of live runs, and new ones, stay.
/// </summary>
public sealed class AbandonedTemporariesTests : IDisposable
{
    private static readonly DateTime LongAgo = DateTime.UtcNow - AbandonedTemporaries.Grace - TimeSpan.FromHours(1);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Pack_TemporariesOfAKilledRunBesideTheOutput_AreRemoved()
    {
        var output = _temp["out/packages.tar.zst"];
        Directory.CreateDirectory(_temp["out"]);
        var killedPayload = _temp["out/.packages.tar.zst.0123.payload.tmp"];
        var killedCopy = _temp["out/.packages.tar.zst.4567.tmp"];
        var otherOutput = _temp["out/.other.tar.zst.89ab.tmp"];
        foreach (var file in new[] { killedPayload, killedCopy, otherOutput })
        {
            await File.WriteAllBytesAsync(file, new byte[4096]);
            File.SetLastWriteTimeUtc(file, LongAgo);
        }

        await using (var live = new FileStream(_temp["out/.packages.tar.zst.cdef.tmp"], FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
        {
            File.SetLastWriteTimeUtc(live.Name, LongAgo);
            var packages = SamplePackages.WriteAllKinds(Directory.CreateDirectory(_temp["in"]).FullName).Select(p => p.Input).ToList();

            await BundleWriter.WriteAsync(packages, output);

            Assert.Equal(
                new[] { live.Name, otherOutput, output }.Order(StringComparer.Ordinal),
                Directory.GetFiles(_temp["out"]).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void RemoveFolders_KilledScratchFolders_RemovedUnlessLiveOrNew()
    {
        var killed = Directory.CreateDirectory(_temp["tmp/bundler-scratch-killed"]);
        File.WriteAllText(Path.Combine(killed.FullName, "a.tar"), "x");
        File.WriteAllText(Path.Combine(killed.FullName, AbandonedTemporaries.OwnerFileName), "");
        File.SetLastWriteTimeUtc(Path.Combine(killed.FullName, AbandonedTemporaries.OwnerFileName), LongAgo);
        var unowned = Directory.CreateDirectory(_temp["tmp/bundler-scratch-unowned"]);
        unowned.LastWriteTimeUtc = LongAgo;
        var fresh = Directory.CreateDirectory(_temp["tmp/bundler-scratch-fresh"]);
        var live = Directory.CreateDirectory(_temp["tmp/bundler-scratch-live"]);
        using var owner = new FileStream(Path.Combine(live.FullName, AbandonedTemporaries.OwnerFileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        File.SetLastWriteTimeUtc(owner.Name, LongAgo);
        var unrelated = Directory.CreateDirectory(_temp["tmp/unrelated"]);
        unrelated.LastWriteTimeUtc = LongAgo;

        AbandonedTemporaries.RemoveFolders(_temp["tmp"], "bundler-scratch-*");

        Assert.Equal(
            [fresh.FullName, live.FullName, unrelated.FullName],
            Directory.GetDirectories(_temp["tmp"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ScratchFolder_Disposed_IsDeletedWithItsFiles()
    {
        string path;
        using (var scratch = ScratchFolder.Create())
        {
            path = scratch.Path;
            File.WriteAllText(Path.Combine(path, "a.tar"), "x");
        }

        Assert.False(Directory.Exists(path));
    }

    public void Dispose() => _temp.Dispose();
}
