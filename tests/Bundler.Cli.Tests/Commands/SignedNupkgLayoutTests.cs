using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NuGet.Packaging;
using Bundler.Testing;

namespace Bundler.Cli.Tests.Commands;

/// <summary>
/// A signed .nupkg in the NuGet layout: its <c>.nupkg.metadata</c> must hold NuGet's content hash (the package
/// without its signature), as restore writes it and packages.lock.json records it, and <c>.nupkg.sha512</c> the hash
/// of the file; every load mode gives the same tree.
/// </summary>
public sealed class SignedNupkgLayoutTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task PackNuGetLayout_SignedNupkg_MetadataHoldsNuGetsContentHashInEveryMode()
    {
        Directory.CreateDirectory(_temp["in"]);
        var nupkg = _temp["in/Signed.Lib.1.0.0.nupkg"];
        WriteSignedLookingNupkg(nupkg);
        var fileHash = Convert.ToBase64String(SHA512.HashData(await File.ReadAllBytesAsync(nupkg)));
        string contentHash;
        using (var reader = new PackageArchiveReader(nupkg))
        {
            Assert.True(await reader.IsSignedAsync(CancellationToken.None));
            contentHash = reader.GetContentHash(CancellationToken.None);
        }

        var pack = await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--nuget-layout", "--publish", _temp["site"]]);
        var bundle = await CliRun.RunAsync(["load", _temp["site"], "-o", _temp["bundle"], "--mode", "bundle"]);
        var files = await CliRun.RunAsync(["load", _temp["site"], "-o", _temp["files"], "--mode", "files"]);

        Assert.True(pack.ExitCode == 0, pack.Error);
        Assert.True(bundle.ExitCode == 0, bundle.Error);
        Assert.True(files.ExitCode == 0, files.Error);
        Assert.NotEqual(fileHash, contentHash);
        using var metadata = JsonDocument.Parse(await File.ReadAllBytesAsync(_temp["bundle/signed.lib/1.0.0/.nupkg.metadata"]));
        Assert.Equal(contentHash, metadata.RootElement.GetProperty("contentHash").GetString());
        Assert.Equal(fileHash, await File.ReadAllTextAsync(_temp["bundle/signed.lib/1.0.0/signed.lib.1.0.0.nupkg.sha512"]));
        Assert.True(File.Exists(_temp["bundle/signed.lib/1.0.0/.signature.p7s"]));
        TreeAssert.Equal(_temp["bundle/signed.lib"], _temp["files/signed.lib"]);
    }

    /// <summary>A package NuGet reads as signed: its last entry is a stored <c>.signature.p7s</c> (the bytes are not a real signature; nothing here verifies one).</summary>
    private static void WriteSignedLookingNupkg(string path)
    {
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        Add(zip, "Signed.Lib.nuspec", "<?xml version=\"1.0\"?><package xmlns=\"http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd\"><metadata><id>Signed.Lib</id><version>1.0.0</version><authors>t</authors><description>d</description></metadata></package>", CompressionLevel.Optimal);
        Add(zip, "lib/netstandard2.0/Signed.Lib.dll", "not really an assembly", CompressionLevel.Optimal);
        Add(zip, ".signature.p7s", "a signature would be here", CompressionLevel.NoCompression);
    }

    private static void Add(ZipArchive zip, string name, string text, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        entry.LastWriteTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var stream = entry.Open();
        stream.Write(Encoding.UTF8.GetBytes(text));
    }
}
