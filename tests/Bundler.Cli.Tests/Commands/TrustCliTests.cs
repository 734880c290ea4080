using System.Security.Cryptography;
using System.Text.Json;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Cli.Tests.Commands;

/// <summary>
/// <c>pack --sign-key</c> and <c>--json</c>'s integrity, and <c>load</c>, <c>unpack</c> and <c>verify</c> with
/// <c>--integrity</c> and <c>--trust-key</c>, run through the tool's entry point over a loopback server.
/// </summary>
public sealed class TrustCliTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public TrustCliTests()
    {
        Directory.CreateDirectory(_temp["in"]);
        TestArchives.Zip(_temp["in/Some.Package.1.2.3.nupkg"], ArchiveContent.Sample("Some.Package"));
        TestArchives.TarGz(_temp["in/is-number.7.0.0.tgz"], ArchiveContent.Sample("is-number", 2));
        Directory.CreateDirectory(_temp["other"]);
        TestArchives.Zip(_temp["other/Other.Package.1.0.0.zip"], ArchiveContent.Sample("Other.Package", 3));
        WriteKey("a");
        WriteKey("b");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Pack_SignKeyAndJson_ReportsTheIntegrityAndTheSignature()
    {
        var pack = await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", _temp["pub"], "--sign-key", _temp["a.pem"], "--json"]);

        Assert.Equal(0, pack.ExitCode);
        using var json = JsonDocument.Parse(pack.Output);
        var integrity = json.RootElement.GetProperty("integrity").GetString();
        Assert.Equal(File.ReadAllText(_temp["pub/integrity.txt"]).Trim(), integrity);
        Assert.Equal(PublishFolder.SignaturePath(_temp["pub"]), json.RootElement.GetProperty("signature").GetString());
        Assert.Equal(PublishFolder.BundlePath(_temp["pub"]), json.RootElement.GetProperty("bundle").GetString());
        var inspect = await CliRun.RunAsync(["inspect", PublishFolder.BundlePath(_temp["pub"])]);
        var inspectJson = await CliRun.RunAsync(["inspect", PublishFolder.BundlePath(_temp["pub"]), "--json"]);
        Assert.Contains("integrity " + integrity, inspect.Output, StringComparison.Ordinal);
        using var inspected = JsonDocument.Parse(inspectJson.Output);
        Assert.Equal(integrity, inspected.RootElement.GetProperty("integrity").GetString());
    }

    [Fact]
    public async Task Pack_BundleJson_WritesTheIntegrityBesideTheLockFile()
    {
        File.WriteAllText(_temp["bundle.json"], """
            {
              "sources": { "disk": { "type": "folder", "path": "in" } },
              "packages": [ { "source": "disk", "id": "is-number", "version": "7.0.0" } ]
            }
            """);

        var pack = await CliRun.RunAsync(["pack", _temp["bundle.json"], "-o", _temp["out/packages.tar.zst"], "--json"]);

        Assert.Equal(0, pack.ExitCode);
        using var json = JsonDocument.Parse(pack.Output);
        Assert.True(File.Exists(_temp["bundle.lock.json"]));
        Assert.Equal(json.RootElement.GetProperty("integrity").GetString() + "\n", File.ReadAllText(_temp["bundle.integrity"]));
        Assert.Equal(["packages.tar.zst"], TreeAssert.Listing(_temp["out"]));
    }

    [Theory]
    [InlineData("bundle")]
    [InlineData("files")]
    [InlineData("ranges")]
    public async Task Load_Pinned_LoadsTheRightBundleAndRefusesAnotherWithExitCodeOne(string mode)
    {
        var integrity = await PublishAsync(_temp["in"], _temp["pub"], "a.pem");
        var otherIntegrity = await PublishAsync(_temp["other"], _temp["pub-other"], "a.pem");
        await using var right = await LoopbackServer.ServeDirectoryAsync(_temp["pub"]);
        await using var wrong = await LoopbackServer.ServeDirectoryAsync(_temp["pub-other"]);

        var loaded = await CliRun.RunAsync(["load", right.BaseUri.ToString(), "-o", _temp["ok"], "--mode", mode, "--integrity", integrity, "--trust-key", _temp["a.pub.pem"]]);
        var refused = await CliRun.RunAsync(["load", wrong.BaseUri.ToString(), "-o", _temp["refused"], "--mode", mode, "--integrity", integrity]);

        Assert.Equal(0, loaded.ExitCode);
        Assert.True(Directory.Exists(_temp["ok/Some.Package/1.2.3"]));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(wrong.Url(mode == "files" ? PublishFolder.ManifestName(_temp["pub-other"]) : PublishFolder.BundleName(_temp["pub-other"])).ToString(), refused.Error, StringComparison.Ordinal);
        Assert.Contains(integrity, refused.Error, StringComparison.Ordinal);
        Assert.Contains(otherIntegrity, refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp["refused"]));
    }

    [Fact]
    public async Task Load_SignedByAnotherKey_ExitsOneAndWritesNothing()
    {
        await PublishAsync(_temp["in"], _temp["pub"], "b.pem");

        var refused = await CliRun.RunAsync(["load", _temp["pub"], "-o", _temp["refused"], "--trust-key", _temp["a.pub.pem"]]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("not signed by a trusted key", refused.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp["refused"]));
    }

    [Fact]
    public async Task VerifyAndUnpack_PinnedAndTrusted_CheckTheBundleFile()
    {
        var integrity = await PackAsync(_temp["in"], _temp["a.tar.zst"], "a.pem");
        var bundle = _temp["a.tar.zst"];
        var otherIntegrity = await PackAsync(_temp["other"], _temp["other.tar.zst"], null);

        Assert.Equal(0, (await CliRun.RunAsync(["verify", bundle, "--integrity", integrity, "--trust-key", _temp["a.pub.pem"]])).ExitCode);
        var wrongPin = await CliRun.RunAsync(["verify", bundle, "--integrity", otherIntegrity]);
        var wrongKey = await CliRun.RunAsync(["unpack", bundle, "-o", _temp["unpacked"], "--trust-key", _temp["b.pub.pem"]]);
        var unsigned = await CliRun.RunAsync(["unpack", _temp["other.tar.zst"], "-o", _temp["unpacked"], "--trust-key", _temp["a.pub.pem"]]);

        Assert.Equal(1, wrongPin.ExitCode);
        Assert.Contains(bundle, wrongPin.Error, StringComparison.Ordinal);
        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Equal(1, unsigned.ExitCode);
        Assert.Contains(_temp["other.tar.zst.sig"], unsigned.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp["unpacked"]));
    }

    [Fact]
    public async Task Load_IntegrityThatIsNotOne_IsAUsageError()
    {
        var result = await CliRun.RunAsync(["load", _temp["pub"], "-o", _temp["out"], "--integrity", "md5-abc"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--integrity 'md5-abc' is not an integrity", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("load")]
    [InlineData("verify")]
    public async Task TrustKey_PrivateKeyFile_ExitsOneNamingTheFile(string command)
    {
        await PublishAsync(_temp["in"], _temp["pub"], "a.pem");
        string[] args = command == "load" ? ["load", _temp["pub"], "-o", _temp["out"]] : ["verify", PublishFolder.BundlePath(_temp["pub"])];

        var result = await CliRun.RunAsync([.. args, "--trust-key", _temp["a.pem"]]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(_temp["a.pem"], result.Error, StringComparison.Ordinal);
        Assert.Contains("PUBLIC KEY", result.Error, StringComparison.Ordinal);
    }

    private Task<string> PublishAsync(string from, string publish, string? key) => PackAsync(from, ["--publish", publish], key);

    private Task<string> PackAsync(string from, string bundle, string? key) => PackAsync(from, ["-o", bundle], key);

    private async Task<string> PackAsync(string from, string[] output, string? key)
    {
        string[] args = ["pack", "--from-dir", from, .. output, "--json"];
        var pack = await CliRun.RunAsync(key is null ? args : [.. args, "--sign-key", _temp[key]]);
        Assert.Equal(0, pack.ExitCode);
        using var json = JsonDocument.Parse(pack.Output);
        return json.RootElement.GetProperty("integrity").GetString()!;
    }

    private void WriteKey(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(_temp[name + ".pem"], key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(_temp[name + ".pub.pem"], key.ExportSubjectPublicKeyInfoPem());
    }
}
