using System.Security.Cryptography;
using Bundler.Core;
using Bundler.Core.Download;
using Bundler.Core.Pipeline;
using Bundler.Testing;
using Bundler.Testing.Feeds;
using Bundler.Testing.Http;

namespace Bundler.Tests.Pipeline;

/// <summary>An archive the download engine verified against a sha512 is not hashed again by the writer.</summary>
public sealed class VerifiedIntegrityTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Writer_RecordsTheVerifiedSha512_WithoutHashingTheArchive()
    {
        var archive = TestArchives.TarGz(_temp["tool.tgz"], ArchiveContent.Sample("tool"));
        var verified = "sha512-" + Convert.ToBase64String(new byte[64]);
        var input = new PackageInput { Id = "tool", Version = "1.0.0", ArchivePath = archive, VerifiedSha512 = verified };

        var written = await BundleWriter.WriteAsync([input], _temp["out.tar.zst"]);

        Assert.Equal(verified, Assert.Single(written.Manifest.Packages).Archive.Integrity);
    }

    [Fact]
    public async Task Packer_PassesOnASha512TheDownloadVerified_ButNotASha256()
    {
        await using var registry = await new NpmTestRegistry().Add("lib", "1.0.0").StartAsync();
        Directory.CreateDirectory(_temp["web"]);
        var wheel = TestArchives.Zip(_temp["web/tool.zip"], ArchiveContent.Sample("tool"));
        await using var web = await LoopbackServer.ServeDirectoryAsync(_temp["web"]);
        var sha256 = "sha256-" + Convert.ToBase64String(SHA256.HashData(await File.ReadAllBytesAsync(wheel)));
        await File.WriteAllTextAsync(_temp["bundle.json"], $$"""
            {
              "sources": { "npm": { "type": "npm", "url": "{{registry.BaseUri}}" }, "web": { "type": "urls" } },
              "packages": [
                { "source": "npm", "id": "lib", "version": "1.0.0" },
                { "source": "web", "id": "tool", "version": "1.0.0", "url": "{{web.Url("tool.zip").AbsoluteUri}}", "integrity": "{{sha256}}" }
              ]
            }
            """);

        var inputs = await PackageSetPacker.PrepareAsync(_temp["bundle.json"], new PackageSetPackOptions { Download = new DownloadOptions { CacheDirectory = _temp["cache"] } }, CancellationToken.None);

        var lib = inputs.Single(i => i.Id == "lib");
        Assert.Equal("sha512-" + Convert.ToBase64String(SHA512.HashData(await File.ReadAllBytesAsync(lib.ArchivePath))), lib.VerifiedSha512);
        Assert.Null(inputs.Single(i => i.Id == "tool").VerifiedSha512);
    }
}
