using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Loader.Trust;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Trust;

/// <summary>
/// A load that trusts a publisher's key accepts any bundle that key signed, in every mode, and refuses unsigned
/// bundles, other keys' signatures and signatures that do not cover the manifest served, before anything is written.
/// </summary>
public sealed class SignedLoadTests : IAsyncLifetime
{
    private SignedPublishes _published = null!;

    public async Task InitializeAsync() => _published = await SignedPublishes.CreateAsync();

    public Task DisposeAsync()
    {
        _published.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<LoadMode> Modes => [LoadMode.Bundle, LoadMode.Files, LoadMode.Ranges];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Load_SignedByTrustedKey_LoadsTheTree(LoadMode mode)
    {
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Copy(_published.Current));
        var target = _published.NewTarget("signed-" + mode);

        await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, Trusting(mode, _published.PublicKeyA));

        TreeAssert.Holds(target, _published.CurrentTree);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Load_SignedByAnotherKey_RefusedNamingBothKeys(LoadMode mode)
    {
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Copy(_published.CurrentSignedByB));
        var target = _published.ExistingTarget("other-key-" + mode);

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, Trusting(mode, _published.PublicKeyA)));

        Assert.Contains(TrustedKey.FromPem(_published.PublicKeyA).Id, error.Message, StringComparison.Ordinal);
        Assert.Contains(TrustedKey.FromPem(_published.PublicKeyB).Id, error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Url(mode == LoadMode.Files ? PublishLayout.ManifestFileName : PublishLayout.BundleFileName).ToString(), error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Load_UnsignedBundle_RefusedNamingTheSignatureUrl(LoadMode mode)
    {
        var folder = _published.Copy(_published.Current);
        foreach (var signature in Directory.GetFiles(folder, "*" + ManifestSignatureFile.Extension))
        {
            File.Delete(signature);
        }

        await using var server = await LoopbackServer.ServeDirectoryAsync(folder);
        var target = _published.ExistingTarget("unsigned-" + mode);

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, Trusting(mode, _published.PublicKeyA)));

        var manifestName = mode == LoadMode.Files ? PublishLayout.ManifestFileName : PublishLayout.BundleFileName;
        Assert.Contains(server.Url(manifestName + ManifestSignatureFile.Extension).ToString(), error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Load_TrustedSignatureBesideAnotherManifest_IsRefused(LoadMode mode)
    {
        // The host serves another set, signed by the trusted key, under today's signature: the signature covers only its own manifest.
        var folder = _published.Copy(_published.Other);
        foreach (var name in new[] { PublishLayout.ManifestFileName, PublishLayout.BundleFileName })
        {
            File.Copy(Path.Combine(_published.Current.Location, name + ManifestSignatureFile.Extension), Path.Combine(folder, name + ManifestSignatureFile.Extension), overwrite: true);
        }

        await using var server = await LoopbackServer.ServeDirectoryAsync(folder);
        var target = _published.ExistingTarget("moved-signature-" + mode);

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, Trusting(mode, _published.PublicKeyA)));

        Assert.Contains("not signed by a trusted key", error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Load_RotatedKeys_AcceptsEitherTrustedKey(LoadMode mode)
    {
        await using var signedByA = await LoopbackServer.ServeDirectoryAsync(_published.Copy(_published.Current));
        await using var signedByB = await LoopbackServer.ServeDirectoryAsync(_published.Copy(_published.CurrentSignedByB));
        var options = Trusting(mode, _published.PublicKeyA) with { TrustedKeys = [_published.PublicKeyA, _published.PublicKeyB] };
        var targetA = _published.NewTarget("rotated-a-" + mode);
        var targetB = _published.NewTarget("rotated-b-" + mode);

        await PackageLoader.LoadAsync(signedByA.BaseUri.ToString(), targetA, options);
        await PackageLoader.LoadAsync(signedByB.BaseUri.ToString(), targetB, options);

        TreeAssert.Holds(targetA, _published.CurrentTree);
        TreeAssert.Holds(targetB, _published.CurrentTree);
    }

    [Fact]
    public async Task Load_OlderBundleSignedByTrustedKey_IsAcceptedWithoutAPin()
    {
        // A signature vouches for the publisher, not for the newest bundle: only a pinned integrity refuses a downgrade (PinnedLoadTests).
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Copy(_published.Older));
        var target = _published.NewTarget("older-signed");

        var report = await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, Trusting(LoadMode.Bundle, _published.PublicKeyA));

        Assert.Equal(_published.Older.Bundle.Manifest.Packages.Count, report.Packages);
    }

    [Fact]
    public async Task Options_TrustedKeyThatIsAPrivateKey_IsRefusedNamingTheProperty()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => PackageLoader.LoadAsync(_published.Current.Location, _published.ExistingTarget("bad-key"), new PackageLoadOptions { TrustedKeys = [File.ReadAllText(_published.KeyAFile)] }));

        Assert.Equal(nameof(PackageLoadOptions.TrustedKeys), error.ParamName);
        Assert.Contains("PUBLIC KEY", error.Message, StringComparison.Ordinal);
    }

    private static PackageLoadOptions Trusting(LoadMode mode, string publicKey) => new() { Mode = mode, TrustedKeys = [publicKey] };
}
