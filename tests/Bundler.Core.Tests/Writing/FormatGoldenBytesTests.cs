using System.Buffers.Binary;
using System.Text;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Testing;

namespace Bundler.Core.Tests.Writing;

/// <summary>Pins the bytes docs/FORMAT.md specifies, so that the code and the spec cannot drift apart.</summary>
public sealed class FormatGoldenBytesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TarHeader_ForAShortName_IsPlainUstarWithFixedFields()
    {
        // Field by field as FORMAT.md lists them; the checksum 010136 is what Python's tarfile computes for the same header.
        var expected = Concat(
            Field("pkg/1.0.0/a.txt", 100), "0000644\0", "0000000\0", "0000000\0", "00000000005\0", "00000000000\0",
            "010136\0 ", "0", Field("", 100), "ustar\0", "00", Field("", 32), Field("", 32), Field("", 8), Field("", 8),
            Field("", 155), Field("", 12));
        var header = new byte[TarHeaderWriter.HeaderLength("pkg/1.0.0/a.txt", 5)];

        TarHeaderWriter.Write(header, "pkg/1.0.0/a.txt", 5, 420, TarHeaderWriter.RegularFile);

        Assert.Equal(512, header.Length);
        Assert.Equal(expected, header);
    }

    [Fact]
    public void TarHeader_ForANameOver100Bytes_HasAPaxPathRecordFirst()
    {
        var name = "pkg/1.0.0/" + new string('x', 120);
        var header = new byte[TarHeaderWriter.HeaderLength(name, 1)];

        TarHeaderWriter.Write(header, name, 1, 493, TarHeaderWriter.RegularFile);

        var record = $"140 path={name}\n";
        Assert.Equal(140, Encoding.UTF8.GetByteCount(record));
        Assert.Equal(1536, header.Length);
        Assert.Equal("././@PaxHeader", Encoding.ASCII.GetString(header, 0, 14));
        Assert.Equal((byte)'x', header[156]);
        Assert.Equal("00000000214\0", Encoding.ASCII.GetString(header, 124, 12));
        Assert.Equal(record, Encoding.UTF8.GetString(header, 512, 140));
        Assert.Equal(name[..100], Encoding.ASCII.GetString(header, 1024, 100));
        Assert.Equal("0000755\0", Encoding.ASCII.GetString(header, 1024 + 100, 8));
    }

    [Fact]
    public async Task Bundle_StartsWithTheManifestSkippableFrame_ThenPayloadFramesAtTheManifestOffsets()
    {
        var input = new PackageInput { Id = "a", Version = "1.0.0", ArchivePath = TestArchives.Zip(_temp["a.zip"], ArchiveContent.Sample("a")) };
        var written = await BundleWriter.WriteAsync([input], _temp["b.tar.zst"]);
        var bytes = await File.ReadAllBytesAsync(_temp["b.tar.zst"]);

        Assert.Equal([0x5B, 0x2A, 0x4D, 0x18], bytes[..4]);
        var userData = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        Assert.Equal("BNDL"u8.ToArray(), bytes[8..12]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(14)));
        var jsonLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16));
        Assert.Equal(ManifestJson.Serialize(written.Manifest).Length, (int)jsonLength);

        var payloadStart = 8 + (int)userData;
        Assert.Equal(bytes.Length, payloadStart + written.Manifest.PayloadSize);
        foreach (var frame in written.Manifest.Frames)
        {
            // Every frame starts with the zstd frame magic at its recorded offset.
            Assert.Equal([0x28, 0xB5, 0x2F, 0xFD], bytes[(payloadStart + (int)frame.Offset)..(payloadStart + (int)frame.Offset + 4)]);
        }
    }

    [Fact]
    public async Task Serialize_WrittenManifest_IsCompactCamelCaseInDeclarationOrder()
    {
        var input = new PackageInput { Id = "a", Version = "1.0.0", ArchivePath = TestArchives.Zip(_temp["a.zip"], new ArchiveContent().Add("x.txt", "x")) };
        var written = await BundleWriter.WriteAsync([input], _temp["b.tar.zst"]);

        var json = Encoding.UTF8.GetString(ManifestJson.Serialize(written.Manifest));

        Assert.StartsWith("{\"formatVersion\":1,\"tool\":\"Bundler ", json, StringComparison.Ordinal);
        Assert.Contains("\"options\":{\"compressionLevel\":3,\"maxFrameSize\":4194304},\"tarSize\":", json, StringComparison.Ordinal);
        Assert.Contains("\"files\":[{\"path\":\"x.txt\",\"size\":1,\"mode\":420,\"sha256\":\"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\",\"offset\":1024}]", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"url\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"folder\":", json, StringComparison.Ordinal);
    }

    private static string Field(string text, int length) => text.PadRight(length, '\0');

    private static byte[] Concat(params string[] parts) => Encoding.ASCII.GetBytes(string.Concat(parts));
}
