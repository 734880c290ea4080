using Bundler.Core.Writing;
using Bundler.Loader.IO;
using Bundler.Loader.Unpacking;
using Bundler.Testing;

namespace Bundler.Loader.Tests.Unpacking;

public sealed class TreeStagingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Commit_LaterPackageCannotBePlaced_EarlierPackagesPutBack()
    {
        var target = _temp["target"];
        Write(target, "a/1/file.txt", "old a");
        Write(target, "b", "a file where package b's folder must go");
        var before = TreeAssert.Snapshot(target);
        using var staging = TreeStaging.Create(target, CancellationToken.None);
        Write(staging.Root, "a/1/file.txt", "new a");
        Write(staging.Root, "b/1/file.txt", "new b");

        Assert.ThrowsAny<IOException>(() => staging.Commit(["a/1", "b/1"], CancellationToken.None));

        Assert.Equal(before, TreeAssert.Snapshot(target));
        staging.Dispose();
        Assert.Equal(["target"], Directory.EnumerateFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Create_AfterAKilledCommit_PutsTheTargetBackAsItWasBeforeIt()
    {
        var target = _temp["target"];
        Write(target, "a/1/file.txt", "old a");
        Write(target, "c/1/file.txt", "untouched c");
        var before = TreeAssert.Snapshot(target);
        // What a process killed half-way through a commit leaves: a's old copy set aside and its new copy placed,
        // b (new to the target) placed, the journal saying so, and no owner holding the staging's lock.
        var root = Path.Combine(_temp.Path, ".target.partial-" + Guid.NewGuid().ToString("N"));
        Write(root, "d/1/file.txt", "staged, never placed");
        Directory.CreateDirectory(root + ".commit");
        Directory.Move(Path.Combine(target, "a", "1"), Path.Combine(root + ".commit", "0"));
        Write(target, "a/1/file.txt", "new a");
        Write(target, "b/1/file.txt", "new b");
        File.WriteAllText(Path.Combine(root + ".commit", "journal"), "aside\t0\ta/1\nplaced\ta/1\nplaced\tb/1\n");
        File.WriteAllText(root + ".owner", "");

        using (TreeStaging.Create(target, CancellationToken.None))
        {
            Assert.Equal(before, TreeAssert.Snapshot(target));
            Assert.False(Directory.Exists(root));
            Assert.False(Directory.Exists(root + ".commit"));
            Assert.False(File.Exists(root + ".owner"));
        }
    }

    [Fact]
    public void Create_WhileAnotherStagingLives_LeavesItsFolderAlone()
    {
        var target = _temp["target"];
        using var living = TreeStaging.Create(target, CancellationToken.None);
        Write(living.Root, "a/1/file.txt", "being written");
        var dead = Path.Combine(_temp.Path, ".target.partial-" + Guid.NewGuid().ToString("N"));
        Write(dead, "x/1/file.txt", "left by a killed run");
        Directory.CreateDirectory(dead + ".replaced");

        using (TreeStaging.Create(target, CancellationToken.None))
        {
            Assert.True(File.Exists(Path.Combine(living.Root, "a", "1", "file.txt")));
            Assert.False(Directory.Exists(dead));
            Assert.False(Directory.Exists(dead + ".replaced"));
        }
    }

    [Fact]
    public async Task Commit_WhileAnotherProcessHoldsTheTargetLock_WaitsForIt()
    {
        var target = _temp["target"];
        using var staging = TreeStaging.Create(target, CancellationToken.None);
        Write(staging.Root, "a/1/file.txt", "a");
        var held = ExclusiveFileLock.Acquire(TargetLock.PathOf(Path.GetFullPath(target)), CancellationToken.None);

        var commit = Task.Run(() => staging.Commit(["a/1"], CancellationToken.None));
        await Task.Delay(300);
        Assert.False(commit.IsCompleted);
        Assert.False(Directory.Exists(target));
        held.Dispose();

        await commit.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(File.Exists(Path.Combine(target, "a", "1", "file.txt")));
    }

    [Fact]
    public async Task Unpack_ManyAtOnceIntoOneTarget_EachSucceedsAndTheTreeEqualsOneUnpack()
    {
        var packages = SamplePackages.WriteAllKinds(Directory.CreateDirectory(_temp["archives"]).FullName);
        var bundle = _temp["bundle.tar.zst"];
        await BundleWriter.WriteAsync(packages.Select(p => p.Input), bundle);
        await using (var once = File.OpenRead(bundle))
        {
            await BundleReader.UnpackAsync(once, _temp["reference"]);
        }

        var target = _temp["shared"];
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var stream = File.OpenRead(bundle);
            await BundleReader.UnpackAsync(stream, target);
        }));

        TreeAssert.Equal(_temp["reference"], target);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path, ".shared.partial-*"));
    }

    private static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
