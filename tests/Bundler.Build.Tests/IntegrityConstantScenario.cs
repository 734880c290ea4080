using System.Security.Cryptography;
using Bundler.Loader.Unpacking;
using Bundler.Testing;

namespace Bundler.Build.Tests;

/// <summary>
/// BundlerGenerateIntegrityConstant compiles the bundle's integrity into the application, signed with
/// BundlerSigningKey, and an up-to-date build still compiles in the same value.
/// </summary>
[Collection(PackedFeed.Name)]
public sealed class IntegrityConstantScenario(PackagesFixture packages) : IDisposable
{
    private const string Items = """
        <BundleSource Include="local" Type="folder" Path="../archives" />
        <BundlePackage Include="alpha" Version="1.0.0" />
        """;

    private readonly ScenarioProject _project = new(packages, Items);

    [Fact]
    public async Task Build_GenerateIntegrityConstant_CompilesThePinOfTheBundleItWrote()
    {
        TestArchives.Zip(Path.Combine(_project.Archives, "alpha.1.0.0.zip"), new ArchiveContent().Add("lib/alpha.txt", "alpha 1.0.0"));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyFile = Path.Combine(_project.AppDirectory, "signing.pem");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        // Compiles only when the constant was generated before the compiler ran.
        File.WriteAllText(Path.Combine(_project.AppDirectory, "Pin.cs"), "namespace app; public static class Pin { public const string Integrity = BundleIntegrity.Value; }");

        var first = (await _project.BuildAsync("-p:BundlerGenerateIntegrityConstant=true", "-p:BundlerSigningKey=signing.pem")).EnsureSuccess();
        var second = (await _project.BuildAsync("-p:BundlerGenerateIntegrityConstant=true", "-p:BundlerSigningKey=signing.pem")).EnsureSuccess();

        string integrity;
        await using (var bundle = File.OpenRead(_project.Bundle))
        {
            integrity = await BundleReader.ReadIntegrityAsync(bundle);
            bundle.Position = 0;
            await BundleReader.VerifyAsync(bundle, new UnpackOptions { ExpectedIntegrity = integrity, TrustedKeys = [key.ExportSubjectPublicKeyInfoPem()], Signature = File.ReadAllBytes(_project.Bundle + ".sig") });
        }

        Assert.Contains($"integrity {integrity}, signed", first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Bundler: wrote", second.Output, StringComparison.Ordinal);
        var generated = Directory.GetFiles(Path.Combine(_project.AppDirectory, "obj"), "BundleIntegrity.g.cs", SearchOption.AllDirectories);
        Assert.Contains($"public const string Value = \"{integrity}\";", File.ReadAllText(Assert.Single(generated)), StringComparison.Ordinal);
        var assembly = Directory.GetFiles(Path.Combine(_project.AppDirectory, "bin"), "app.dll", SearchOption.AllDirectories);
        // The constant is in the compiled assembly's user strings (UTF-16).
        Assert.True(File.ReadAllBytes(Assert.Single(assembly)).AsSpan().IndexOf(System.Text.Encoding.Unicode.GetBytes(integrity)) >= 0, "the integrity is not in app.dll");
    }

    public void Dispose() => _project.Dispose();
}
