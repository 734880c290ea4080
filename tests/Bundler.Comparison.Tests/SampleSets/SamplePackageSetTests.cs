using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Bundler.Comparison.SampleSets;
using Bundler.Testing;

namespace Bundler.Comparison.Tests.SampleSets;

/// <summary>The set <c>compare</c> uses when given no input: shaped like a real closure, the same on every run.</summary>
public sealed class SamplePackageSetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_SameSeed_SameFiles()
    {
        SamplePackageSet.Write(_temp["a"]);
        SamplePackageSet.Write(_temp["b"]);

        Assert.Equal(Contents(_temp["a"]), Contents(_temp["b"]));
    }

    [Fact]
    public void Write_OtherSeed_OtherFiles()
    {
        SamplePackageSet.Write(_temp["a"]);
        SamplePackageSet.Write(_temp["b"], seed: 2);

        Assert.NotEqual(Contents(_temp["a"]), Contents(_temp["b"]));
    }

    [Fact]
    public void Write_DefaultSeed_IsShapedLikeARealClosure()
    {
        SamplePackageSet.Write(_temp["set"]);

        var archives = Directory.GetFiles(_temp["set"]);
        var entries = archives.Select(Entries).ToList();
        var files = entries.SelectMany(e => e).ToList();
        var compressed = archives.Sum(a => new FileInfo(a).Length);
        var expanded = files.Sum(f => (long)f);
        var perPackage = entries.Select(e => e.Count).Order().ToList();

        Assert.Equal(40, archives.Length);
        Assert.Contains(archives, a => a.EndsWith(".nupkg", StringComparison.Ordinal));
        Assert.Contains(archives, a => a.EndsWith(".tgz", StringComparison.Ordinal));
        Assert.InRange(files.Count, 800, 3000);
        Assert.True(files.Count(size => size < 4096) > files.Count / 3, "most files are small");
        Assert.True(perPackage[^1] >= 10 * perPackage[perPackage.Count / 2], "a few packages hold most files");
        Assert.InRange(compressed, 2_000_000, 12_000_000);
        Assert.InRange((double)expanded / compressed, 2.0, 8.0);
    }

    private static List<int> Entries(string archive)
    {
        if (archive.EndsWith(".nupkg", StringComparison.Ordinal))
        {
            using var zip = ZipFile.OpenRead(archive);
            return [.. zip.Entries.Select(e => (int)e.Length)];
        }

        using var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var sizes = new List<int>();
        while (tar.GetNextEntry() is { } entry)
        {
            sizes.Add((int)entry.Length);
        }

        return sizes;
    }

    private static List<string> Contents(string folder) =>
        [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal)
            .Select(f => Path.GetFileName(f) + ":" + string.Join(",", Entries(f)) + ":" + Convert.ToHexString(SHA256.HashData(Uncompressed(f))))];

    private static byte[] Uncompressed(string archive)
    {
        using var buffer = new MemoryStream();
        if (archive.EndsWith(".nupkg", StringComparison.Ordinal))
        {
            using var zip = ZipFile.OpenRead(archive);
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                stream.CopyTo(buffer);
            }
        }
        else
        {
            using var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
            gzip.CopyTo(buffer);
        }

        return buffer.ToArray();
    }
}
