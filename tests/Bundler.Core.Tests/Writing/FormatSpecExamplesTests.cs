using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Loader.Zstd;
using Bundler.Testing;
using Bundler.Testing.Hostile;

namespace Bundler.Core.Tests.Writing;

/// <summary>
/// Reads each worked example out of docs/FORMAT.md and checks it against what the writer produces and the reader
/// reads, so that the examples in the spec cannot drift from the code.
/// </summary>
public sealed class FormatSpecExamplesTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FormatSpecDocument _spec = FormatSpecDocument.Load();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ManifestExample_ParsesAndReserializesToTheCompactFormItStates()
    {
        var json = ExampleManifestJson();
        var compact = FormatSpecDocument.Compact(json);

        var manifest = ManifestJson.Deserialize(Encoding.UTF8.GetBytes(json));

        Assert.Equal(compact, Encoding.UTF8.GetString(ManifestJson.Serialize(manifest)));
        Assert.Equal(_spec.StatedNumber(@"in the file it is one compact line of (\d+) bytes"), Encoding.UTF8.GetByteCount(compact));
        Assert.StartsWith(_spec.Stated(@"Its compact form begins `([^`]+)…`")[0], compact, StringComparison.Ordinal);
        Assert.Equal(_spec.StatedNumber(@"The package's (\d+) tar bytes"), Assert.Single(manifest.Packages).TarSize);
        ManifestValidator.Validate(manifest, BundleLimits.Default);
    }

    [Fact]
    public async Task ManifestExample_IsWhatTheWriterWritesForItsPackage()
    {
        var example = ExampleManifest();
        var written = await WriteExampleBundleAsync(example);

        // The tool string names the writer's version; the rest of the manifest is the example's, byte for byte.
        var manifest = written.Manifest with { Tool = example.Tool };

        Assert.Equal(Encoding.UTF8.GetString(ManifestJson.Serialize(example)), Encoding.UTF8.GetString(ManifestJson.Serialize(manifest)));
    }

    [Fact]
    public async Task ManifestFrameHexDump_IsTheStartOfTheExampleBundle()
    {
        var example = ExampleManifest();
        var written = await WriteExampleBundleAsync(example);
        using var frame = new MemoryStream();
        ManifestFrame.Write(frame, written.Manifest with { Tool = example.Tool }, example.Options.CompressionLevel);
        var bytes = frame.ToArray();
        var stated = _spec.StatedNumbers(@"with `N = (\d+)` and `J = (\d+)`");
        var payloadStart = _spec.StatedNumbers(@"The payload starts at absolute offset 8 \+ (\d+) = (\d+)\.");
        var frameOffsets = _spec.StatedNumbers(@"The frames are at absolute offsets (\d+) and (\d+), and the file is (\d+) bytes long");

        var dump = FormatSpecDocument.HexDump(_spec.CodeBlockAfter("Example: the start of the bundle of §7.3"), 24);

        Assert.Equal(dump, bytes[..dump.Length]);
        Assert.Equal(stated[0], BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(stated[1], BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(stated[0], payloadStart[0]);
        Assert.Equal(bytes.Length, payloadStart[1]);
        Assert.Equal(written.Manifest.Frames.Select(f => bytes.Length + f.Offset), frameOffsets[..2]);
        Assert.Equal(bytes.Length + written.Manifest.PayloadSize, frameOffsets[2]);
    }

    [Fact]
    public async Task TarHeaderExamples_AreTheFirstBlocksOfTheExampleBundlesTarStream()
    {
        var example = ExampleManifest();
        var written = await WriteExampleBundleAsync(example);
        var tar = await FirstFrameContentAsync(written);
        var folderChecksum = _spec.StatedNumber(@"The folder entry `hello/1\.0\.0/` has checksum (\d+)\.");
        var fileChecksum = _spec.Stated(@"Its checksum is (\d+) \(`(\d+)`\)\.");
        var data = _spec.Stated(@"The (\d+) data bytes `([^`]+)` follow, then (\d+) zero bytes\.");

        var folderHeader = FormatSpecDocument.HexDump(_spec.CodeBlockAfter("The folder entry `hello/1.0.0/` has checksum"), 512);
        var fileHeader = FormatSpecDocument.HexDump(_spec.CodeBlockAfter("The file entry `hello/1.0.0/README.md`"), 512);

        Assert.Equal(folderHeader, tar[..512]);
        Assert.Equal(folderChecksum, HeaderSum(folderHeader));
        Assert.Equal(fileHeader, tar[512..1024]);
        Assert.Equal(long.Parse(fileChecksum[0], CultureInfo.InvariantCulture), HeaderSum(fileHeader));
        Assert.Equal(fileChecksum[1], Convert.ToString(HeaderSum(fileHeader), 8).PadLeft(6, '0'));
        var dataLength = int.Parse(data[0], CultureInfo.InvariantCulture);
        Assert.Equal(Encoding.UTF8.GetBytes(data[1].Replace("\\n", "\n", StringComparison.Ordinal)), tar[1024..(1024 + dataLength)]);
        Assert.Equal(512, dataLength + int.Parse(data[2], CultureInfo.InvariantCulture));
        Assert.All(tar[(1024 + dataLength)..1536], b => Assert.Equal(0, b));
    }

    [Fact]
    public void ChecksumExample_IsWrittenAsTheSpecSays()
    {
        var stated = _spec.Stated(@"for example, a sum of (\d+) is written `(\d+)\\0 `");
        var header = new byte[512];

        TarHeaderWriter.Write(header, "hello/1.0.0/", 0, BundleFormat.DirectoryMode, TarHeaderWriter.Directory);

        Assert.Equal(long.Parse(stated[0], CultureInfo.InvariantCulture), HeaderSum(header));
        Assert.Equal(stated[1] + "\0 ", Encoding.ASCII.GetString(header, 148, 8));
    }

    [Fact]
    public void PaxExample_IsTheHeaderTheWriterWritesForItsName()
    {
        var name = _spec.Stated(@"Pax example: the name `([^`]+)` followed by (\d+) `a` and `\.txt` is (\d+) bytes\.");
        var record = _spec.Stated(@"Here `body = 4 \+ (\d+) \+ 3 = (\d+)` and `LEN = (\d+)`");
        var paxBlock = _spec.Stated(@"size `(\d+)\\0` \((\d+)\), typeflag `x`, chksum `(\d+)\\0 ` \((\d+)\)");
        var padding = _spec.StatedNumber(@"The record, followed by (\d+) zero bytes\.");
        var truncated = _spec.Stated(@"the first 100 bytes of the name \(`([^`]+)` and (\d+) `a`\)");
        var fullName = name[0] + new string('a', int.Parse(name[1], CultureInfo.InvariantCulture)) + ".txt";
        var recordLength = int.Parse(record[2], CultureInfo.InvariantCulture);
        var header = new byte[TarHeaderWriter.HeaderLength(fullName, 0)];

        TarHeaderWriter.Write(header, fullName, 0, 420, TarHeaderWriter.RegularFile);

        Assert.Equal(long.Parse(name[2], CultureInfo.InvariantCulture), Encoding.UTF8.GetByteCount(fullName));
        Assert.Equal(record[0], name[2]);
        Assert.Equal(Encoding.UTF8.GetByteCount(fullName) + 7, int.Parse(record[1], CultureInfo.InvariantCulture));
        Assert.Equal(3 * 512, header.Length);
        Assert.Equal("././@PaxHeader", Encoding.ASCII.GetString(header, 0, 14));
        Assert.Equal("0000644\0", Encoding.ASCII.GetString(header, 100, 8));
        Assert.Equal(paxBlock[0] + "\0", Encoding.ASCII.GetString(header, 124, 12));
        Assert.Equal(recordLength, Convert.ToInt32(paxBlock[0], 8));
        Assert.Equal(recordLength, int.Parse(paxBlock[1], CultureInfo.InvariantCulture));
        Assert.Equal((byte)'x', header[156]);
        Assert.Equal(paxBlock[2] + "\0 ", Encoding.ASCII.GetString(header, 148, 8));
        Assert.Equal(long.Parse(paxBlock[3], CultureInfo.InvariantCulture), HeaderSum(header[..512]));
        Assert.Equal($"{recordLength} path={fullName}\n", Encoding.UTF8.GetString(header, 512, recordLength));
        Assert.Equal(512, recordLength + padding);
        Assert.All(header[(512 + recordLength)..1024], b => Assert.Equal(0, b));
        Assert.Equal(truncated[0] + new string('a', int.Parse(truncated[1], CultureInfo.InvariantCulture)), Encoding.UTF8.GetString(header, 1024, 100));
        Assert.Equal(fullName[..100], Encoding.UTF8.GetString(header, 1024, 100));
    }

    private string ExampleManifestJson() => string.Join('\n', _spec.CodeBlockAfter("### 7.3 Example"));

    private Manifest ExampleManifest() => ManifestJson.Deserialize(Encoding.UTF8.GetBytes(ExampleManifestJson()));

    /// <summary>
    /// The example's package written as the spec describes it: its archive, a stored zip of its files with fixed
    /// timestamps (so its size and integrity are the example's), and the writer options the manifest records.
    /// </summary>
    private async Task<BundleWriteResult> WriteExampleBundleAsync(Manifest example)
    {
        var package = Assert.Single(example.Packages);
        var zip = new RawZip();
        foreach (var file in package.Files)
        {
            zip.File(file.Path, ExampleFileBytes(file), file.Mode == BundleFormat.ExecutableFileMode ? 0x81ED : 0x81A4);
        }

        var archive = _temp[package.Archive.Name];
        await File.WriteAllBytesAsync(archive, zip.ToArray());
        var input = new PackageInput { Id = package.Id, Version = package.Version, ArchivePath = archive };
        var options = new BundleWriterOptions { CompressionLevel = example.Options.CompressionLevel, MaxFrameSize = example.Options.MaxFrameSize };
        return await BundleWriter.WriteAsync([input], _temp["example.tar.zst"], options);
    }

    /// <summary>A file's contents as the example's prose gives them, checked against its size and sha256 in the manifest.</summary>
    private byte[] ExampleFileBytes(FileEntry file)
    {
        var stated = _spec.Stated(@"two files, `([^`]+)` \(`([^`]+)`\) and the executable `([^`]+)` \(`([^`]+)`\)");
        var text = file.Path == stated[0] ? stated[1] : file.Path == stated[2] ? stated[3]
            : throw new InvalidOperationException($"docs/FORMAT.md §7.3 does not say what {file.Path} holds.");
        var bytes = Encoding.UTF8.GetBytes(text.Replace("\\n", "\n", StringComparison.Ordinal));
        Assert.Equal(file.Size, bytes.Length);
        Assert.Equal(file.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        return bytes;
    }

    private static async Task<byte[]> FirstFrameContentAsync(BundleWriteResult written)
    {
        var bytes = await File.ReadAllBytesAsync(written.Path);
        var payloadStart = bytes.Length - written.Manifest.PayloadSize;
        var first = written.Manifest.Frames[0];
        var frame = bytes.AsSpan((int)(payloadStart + first.Offset), (int)first.Size);
        return ZstdFrameCodec.DecompressExact(frame, (int)first.TarSize, "frame 0");
    }

    /// <summary>The tar checksum: the sum of the block's bytes with the checksum field read as eight spaces.</summary>
    private static long HeaderSum(byte[] block) =>
        block.Select((b, i) => i is >= 148 and < 156 ? 0x20 : (long)b).Sum();
}
