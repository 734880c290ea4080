using System.IO.Compression;
using SharpCompress.Archives;
using SharpCompress.Common;
using SharpCompress.Writers.Zip;
using SharpZipArchiveEntry = SharpCompress.Archives.Zip.ZipArchiveEntry;
using Bundler.Core.Publishing;
using Bundler.Core.Sources.Folder;
using Bundler.Loader.Archives.Zip;
using Bundler.Loader.IO;
using Bundler.Loader.Loading;
using Bundler.Testing;
using Bundler.Testing.Hostile;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Archives.Zip;

/// <summary>Files mode reads stored and deflated zip entries straight from the file; anything else, or anything the records disagree on, through the zip library.</summary>
public sealed class ZipEntryStreamsTests : IDisposable
{
    private static readonly byte[] Text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("a line of text that compresses well\n", 4000)));
    private static readonly byte[] Noise = RandomBytes(300_000);

    private readonly TempDirectory _temp = new();

    [Fact]
    public void Open_StoredOrDeflatedEntry_ReadFromTheFileWithItsExactBytes()
    {
        var path = _temp["methods.zip"];
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            Add(zip, "deflated.txt", Text, CompressionLevel.Optimal);
            Add(zip, "stored.bin", Noise, CompressionLevel.NoCompression);
        }

        var read = ReadAll(path);

        Assert.Equal(Text, read["deflated.txt"].Bytes);
        Assert.IsType<DeflateStream>(read["deflated.txt"].Stream);
        Assert.Equal(Noise, read["stored.bin"].Bytes);
        Assert.IsType<FileSliceStream>(read["stored.bin"].Stream);
    }

    [Fact]
    public void Open_OtherCompressionMethod_ReadByTheZipLibrary()
    {
        var path = _temp["bzip2.zip"];
        using (var file = File.Create(path))
        using (var writer = new ZipWriter(file, new ZipWriterOptions(CompressionType.BZip2)))
        {
            writer.Write("bzip2.txt", new MemoryStream(Text), DateTime.UnixEpoch);
        }

        var read = ReadAll(path);

        Assert.Equal(Text, read["bzip2.txt"].Bytes);
        Assert.IsNotType<DeflateStream>(read["bzip2.txt"].Stream);
        Assert.IsNotType<FileSliceStream>(read["bzip2.txt"].Stream);
    }

    [Fact]
    public void Open_NameRecordedTwice_ReadByTheZipLibrary()
    {
        var path = _temp["twice.zip"];
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            Add(zip, "same.txt", Text, CompressionLevel.Optimal);
            Add(zip, "same.txt", Noise, CompressionLevel.Optimal);
        }

        using var archive = ArchiveFactory.OpenArchive(path);
        using var streams = new ZipEntryStreams(path);
        var entries = archive.Entries.Cast<SharpZipArchiveEntry>().ToList();
        Assert.Equal(2, entries.Count);
        var contents = new List<byte[]>();
        foreach (var entry in entries)
        {
            using var stream = streams.Open(entry);
            Assert.IsNotType<DeflateStream>(stream);
            contents.Add(ReadToEnd(stream));
        }

        Assert.Equal([Text, Noise], contents);
    }

    public static TheoryData<string> Disagreements => ["local method stored", "local method deflated", "local encryption", "local size", "unicode path", "latin-1 name"];

    /// <summary>Where the headers disagree, or a name may be decoded differently, the entry is what the zip library makes of it.</summary>
    [Theory]
    [MemberData(nameof(Disagreements))]
    public void Open_HeadersDisagree_ReadAsTheZipLibraryReadsIt(string disagreement)
    {
        var zip = disagreement switch
        {
            "local method stored" => new RawZip().File("a.txt", Text, deflate: true, new ZipQuirks(LocalMethod: 0)),
            "local method deflated" => new RawZip().File("a.txt", Text, deflate: false, new ZipQuirks(LocalMethod: 8)),
            "local encryption" => new RawZip().File("a.txt", Text, deflate: true, new ZipQuirks(LocalEncrypted: true)),
            "local size" => new RawZip().File("a.txt", Noise, deflate: false, new ZipQuirks(LocalCompressedSizeDelta: -1000)),
            // The zip library names the second entry b.txt: the first record's raw name. Same sizes, other bytes.
            "unicode path" => new RawZip().File("b.txt", Text, deflate: false, new ZipQuirks(UnicodePath: "x.txt")).File("y.txt", [.. Text.Reverse()], deflate: false, new ZipQuirks(UnicodePath: "b.txt")),
            _ => new RawZip().File("caf\u00e9.txt", Text, deflate: true, new ZipQuirks(Latin1Name: true)),
        };
        var path = _temp["quirk.zip"];
        File.WriteAllBytes(path, zip.ToArray());

        using var archive = ArchiveFactory.OpenArchive(path);
        using var reference = ArchiveFactory.OpenArchive(path);
        using var streams = new ZipEntryStreams(path);
        var entries = archive.Entries.Cast<SharpZipArchiveEntry>().ToList();
        var expected = reference.Entries.Cast<SharpZipArchiveEntry>().ToList();
        Assert.NotEmpty(entries);
        for (var i = 0; i < entries.Count; i++)
        {
            var ours = Outcome(() => streams.Open(entries[i]), out var type);
            var library = Outcome(expected[i].OpenEntryStream, out _);

            Assert.Equal(library, ours);
            Assert.False(type == typeof(DeflateStream) || type == typeof(FileSliceStream), $"{entries[i].Key} was read from the file ({type?.Name}) though its headers disagree");
        }
    }

    [Fact]
    public void Open_Zip64SizeRunningPastTheFile_FoundAsOverlapAndNotReadFromTheFile()
    {
        var zip = new RawZip().Declaring("a.txt", "aaaa"u8.ToArray(), declaredSize: 4).ToArray();
        // Make the central record's zip64 compressed size huge: 64-bit arithmetic on it would wrap around.
        var field = zip.AsSpan().LastIndexOf(new byte[] { 0x01, 0x00, 0x10, 0x00 });
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(zip.AsSpan(field + 12), long.MaxValue);
        var path = _temp["huge.zip"];
        File.WriteAllBytes(path, [.. zip]);
        var twice = new RawZip().Declaring("a.txt", "aaaa"u8.ToArray(), declaredSize: 4).Alias("b.txt", "a.txt").ToArray();
        // Both central records (the local header's own zip64 field comes first and stays).
        foreach (var offset in AllIndexesOf(twice, [0x01, 0x00, 0x10, 0x00]).Skip(1))
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(twice.AsSpan(offset + 12), long.MaxValue);
        }

        File.WriteAllBytes(_temp["twice.zip"], twice);

        using (var twiceStreams = new ZipEntryStreams(_temp["twice.zip"]))
        {
            Assert.NotNull(twiceStreams.FindOverlap());
        }

        using var archive = ArchiveFactory.OpenArchive(path);
        using var streams = new ZipEntryStreams(path);
        foreach (var entry in archive.Entries.Cast<SharpZipArchiveEntry>())
        {
            Outcome(() => streams.Open(entry), out var type);
            Assert.NotEqual(typeof(FileSliceStream), type);
        }
    }

    [Fact]
    public void Open_EndRecordContradictingItself_Refused()
    {
        var path = _temp["decoy.zip"];
        File.WriteAllBytes(path, new RawZip().File("a.txt", Text).File("b.txt", Noise).EndRecordCounts(onThisDisk: 1, total: 2).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => new ZipEntryStreams(path));
        Assert.Contains("inconsistent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FilesMode_LoadsZipsOfEveryMethod_AsBundleModeDoes()
    {
        Directory.CreateDirectory(_temp["archives"]);
        using (var zip = ZipFile.Open(_temp["archives/mixed.1.0.0.zip"], ZipArchiveMode.Create))
        {
            Add(zip, "lib/deflated.txt", Text, CompressionLevel.SmallestSize);
            Add(zip, "lib/stored.bin", Noise, CompressionLevel.NoCompression);
            Add(zip, "lib/empty.txt", [], CompressionLevel.Optimal);
        }

        using (var file = File.Create(_temp["archives/bzipped.2.0.0.zip"]))
        using (var writer = new ZipWriter(file, new ZipWriterOptions(CompressionType.BZip2)))
        {
            writer.Write("data/bzip2.txt", new MemoryStream(Text), DateTime.UnixEpoch);
        }

        await LegacyPublishFolder.WriteAsync(FolderArchiveScanner.Scan(_temp["archives"]), _temp["publish"]);

        await PackageLoader.LoadAsync(_temp["publish"], _temp["bundle"], new PackageLoadOptions { Mode = LoadMode.Bundle });
        await PackageLoader.LoadAsync(_temp["publish"], _temp["files"], new PackageLoadOptions { Mode = LoadMode.Files });

        LoadAssert.SameTree(_temp["bundle"], _temp["files"]);
        Assert.Equal(Text, File.ReadAllBytes(_temp["files/mixed/1.0.0/lib/deflated.txt"]));
        Assert.Equal(Noise, File.ReadAllBytes(_temp["files/mixed/1.0.0/lib/stored.bin"]));
        Assert.Empty(File.ReadAllBytes(_temp["files/mixed/1.0.0/lib/empty.txt"]));
        Assert.Equal(Text, File.ReadAllBytes(_temp["files/bzipped/2.0.0/data/bzip2.txt"]));
    }

    [Fact]
    public async Task FilesMode_RefusesADeflatedEntryThatInflatesToOtherBytes_TargetUntouched()
    {
        Directory.CreateDirectory(_temp["archives"]);
        var archive = _temp["archives/flip.1.0.0.zip"];
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        {
            Add(zip, "stored.bin", Noise, CompressionLevel.NoCompression);
            Add(zip, "deflated.txt", Text, CompressionLevel.Optimal);
        }

        await LegacyPublishFolder.WriteAsync(FolderArchiveScanner.Scan(_temp["archives"]), _temp["publish"]);
        var manifestPath = _temp["publish/manifest.json"];
        // The manifest lists the file's sha256; an archive whose bytes differ (and whose integrity in the manifest was
        // rewritten to match, as a hostile publisher could) must still be refused by the per-file check.
        var served = _temp["publish/files/flip.1.0.0.zip"];
        var bytes = File.ReadAllBytes(served);
        var at = bytes.AsSpan().IndexOf(Noise.AsSpan(0, 64));
        bytes[at + 1000] ^= 0xFF;
        File.WriteAllBytes(served, bytes);
        var manifest = File.ReadAllText(manifestPath);
        var oldIntegrity = System.Text.RegularExpressions.Regex.Match(manifest, "sha512-[A-Za-z0-9+/=]+").Value;
        var newIntegrity = "sha512-" + Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(bytes));
        File.WriteAllText(manifestPath, manifest.Replace(oldIntegrity, newIntegrity, StringComparison.Ordinal));
        var target = _temp["target"];
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "mine");

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(_temp["publish"], target, new PackageLoadOptions { Mode = LoadMode.Files }));

        Assert.Contains("files/flip.1.0.0.zip", error.Message, StringComparison.Ordinal);
        Assert.Contains("'stored.bin'", error.Message, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
    }

    public void Dispose() => _temp.Dispose();

    private static void Add(System.IO.Compression.ZipArchive zip, string name, byte[] bytes, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        entry.ExternalAttributes = 0x81A4 << 16;
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    private static Dictionary<string, (Stream Stream, byte[] Bytes)> ReadAll(string path)
    {
        using var archive = ArchiveFactory.OpenArchive(path);
        using var streams = new ZipEntryStreams(path);
        var read = new Dictionary<string, (Stream, byte[])>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries.Cast<SharpZipArchiveEntry>())
        {
            using var stream = streams.Open(entry);
            read[entry.Key!] = (stream, ReadToEnd(stream));
        }

        return read;
    }

    /// <summary>The bytes an entry's stream gives, or the type of exception opening or reading it throws.</summary>
    private static string Outcome(Func<Stream> open, out Type? streamType)
    {
        streamType = null;
        try
        {
            using var stream = open();
            streamType = stream.GetType();
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(ReadToEnd(stream)));
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            return "throws";
        }
    }

    private static IEnumerable<int> AllIndexesOf(byte[] bytes, byte[] pattern)
    {
        for (var at = bytes.AsSpan().IndexOf(pattern); at >= 0;)
        {
            yield return at;
            var next = bytes.AsSpan(at + 1).IndexOf(pattern);
            at = next < 0 ? -1 : at + 1 + next;
        }
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static byte[] ReadToEnd(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
