using System.Security.Cryptography;
using Bundler.Core.Publishing;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Format;
using Bundler.Loader.Trust;
using Bundler.Loader.Unpacking;
using Bundler.Testing;
using Bundler.Testing.Loading;

namespace Bundler.Core.Tests.Trust;

/// <summary>
/// The integrity pack reports is the digest of the manifest JSON, the same bytes in the bundle and in manifest.json;
/// signing writes detached signature files and leaves the bundle's bytes as they are; a bad key changes nothing.
/// </summary>
public sealed class ManifestSigningTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<PackageInput> _packages;

    public ManifestSigningTests() =>
        _packages = SamplePackages.WriteAllKinds(Directory.CreateDirectory(_temp["archives"]).FullName).Select(p => p.Input).ToList();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Publish_ManifestJson_IsTheBundlesManifestBytesAndCarriesItsIntegrity()
    {
        var result = await PublishFolderWriter.WriteAsync(_packages, _temp["site"]);

        await using var bundle = File.OpenRead(result.Bundle.Path);
        var fromFrame = await BundleReader.ReadIntegrityAsync(bundle);
        var fromJson = ManifestIntegrity.Compute(File.ReadAllBytes(PublishFolder.ManifestPath(result.Location)));
        Assert.Equal(result.Bundle.Integrity, fromFrame);
        Assert.Equal(result.Bundle.Integrity, fromJson);
        Assert.Equal(result.Bundle.Integrity + "\n", File.ReadAllText(Path.Combine(result.Location, PublishLayout.IntegrityFileName)));
        Assert.StartsWith("sha256-", result.Bundle.Integrity, StringComparison.Ordinal);
        Assert.Null(result.Bundle.SignaturePath);
        Assert.False(Directory.Exists(Path.Combine(result.Location, PublishLayout.SignaturesFolder)));
    }

    [Fact]
    public async Task Write_Signed_SameBundleBytesAndASignatureByEachKey()
    {
        var keyA = WriteKey("a.pem", out var publicA);
        var keyB = WriteKey("b.pem", out var publicB);
        var unsigned = await BundleWriter.WriteAsync(_packages, _temp["unsigned.tar.zst"]);

        var signed = await BundleWriter.WriteAsync(_packages, _temp["signed.tar.zst"], new BundleWriterOptions { SigningKeyFiles = [keyA, keyB] });

        Assert.Equal(File.ReadAllBytes(unsigned.Path), File.ReadAllBytes(signed.Path));
        Assert.Equal(unsigned.Integrity, signed.Integrity);
        Assert.Equal(signed.Path + ManifestSignatureFile.Extension, signed.SignaturePath);
        var signatures = ManifestSignatureFile.Parse(File.ReadAllBytes(signed.SignaturePath!));
        Assert.Equal([TrustedKey.FromPem(publicA).Id, TrustedKey.FromPem(publicB).Id], signatures.Select(s => s.KeyId));
        foreach (var publicKey in new[] { publicA, publicB })
        {
            await using var bundle = File.OpenRead(signed.Path);
            await BundleReader.VerifyAsync(bundle, new UnpackOptions { TrustedKeys = [publicKey], Signature = File.ReadAllBytes(signed.SignaturePath!) });
        }
    }

    [Fact]
    public async Task Publish_Signed_IndexNamesTheSignatureFileByItsDigest()
    {
        var key = WriteKey("a.pem", out _);

        var result = await PublishFolderWriter.WriteAsync(_packages, _temp["site"], new BundleWriterOptions { SigningKeyFiles = [key] });

        var signature = File.ReadAllBytes(PublishFolder.SignaturePath(result.Location));
        Assert.Equal(PublishLayout.SignaturePath(SHA256.HashData(signature)), PublishFolder.SignatureName(result.Location));
        Assert.Equal(PublishFolder.SignaturePath(result.Location), result.Bundle.SignaturePath);
        Assert.Single(ManifestSignatureFile.Parse(signature));
    }

    [Theory]
    [InlineData("public")]
    [InlineData("other-curve")]
    [InlineData("not-a-key")]
    [InlineData("missing")]
    public async Task Write_BadSigningKey_RefusedNamingItAndThePreviousBundleKept(string kind)
    {
        var output = _temp["packages.tar.zst"];
        var previous = await BundleWriter.WriteAsync(_packages.Take(1), output);
        var before = File.ReadAllBytes(output);
        var keyFile = _temp[kind + ".pem"];
        using (var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384))
        using (var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            switch (kind)
            {
                case "public": File.WriteAllText(keyFile, p256.ExportSubjectPublicKeyInfoPem()); break;
                case "other-curve": File.WriteAllText(keyFile, p384.ExportPkcs8PrivateKeyPem()); break;
                case "not-a-key": File.WriteAllText(keyFile, "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n"); break;
            }
        }

        var error = await Assert.ThrowsAsync<BundleException>(() => BundleWriter.WriteAsync(_packages, output, new BundleWriterOptions { SigningKeyFiles = [keyFile] }));

        Assert.Contains(keyFile, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(output));
        Assert.Equal(new[] { "packages.tar.zst", "archives", kind + ".pem" }.Where(n => n != "missing.pem").Order(StringComparer.Ordinal), Directory.EnumerateFileSystemEntries(_temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.NotNull(previous);
    }

    private string WriteKey(string name, out string publicKeyPem)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(_temp[name], key.ExportPkcs8PrivateKeyPem());
        publicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        return _temp[name];
    }
}
