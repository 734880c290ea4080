using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Trust;

/// <summary>
/// A load pinned to the integrity its build reported accepts that bundle in every mode and refuses any other, before
/// anything is written: another bundle, a swapped manifest, a consistently edited manifest and an older signed bundle.
/// </summary>
public sealed class PinnedLoadTests : IAsyncLifetime
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
    public async Task Load_RightPin_LoadsTheTree(LoadMode mode)
    {
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Copy(_published.Current));
        var target = _published.NewTarget("right-" + mode);

        await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, Pinned(mode, _published.Current.Bundle.Integrity));

        TreeAssert.Holds(target, _published.CurrentTree);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Load_PinAsSha512OfManifestJson_LoadsTheTree(LoadMode mode)
    {
        var manifestJson = File.ReadAllBytes(Path.Combine(_published.Current.Location, PublishLayout.ManifestFileName));
        var sha512 = "sha512-" + Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(manifestJson));
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Copy(_published.Current));
        var target = _published.NewTarget("sha512-" + mode);

        await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, Pinned(mode, sha512));

        TreeAssert.Holds(target, _published.CurrentTree);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Load_DifferentBundle_RefusedNamingUrlAndBothDigests(LoadMode mode)
    {
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Copy(_published.Other));
        var target = _published.ExistingTarget("different-" + mode);

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, Pinned(mode, _published.Current.Bundle.Integrity)));

        Assert.Contains(server.Url(mode == LoadMode.Files ? PublishLayout.ManifestFileName : PublishLayout.BundleFileName).ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(_published.Current.Bundle.Integrity, error.Message, StringComparison.Ordinal);
        Assert.Contains(_published.Other.Bundle.Integrity, error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Load_SwappedManifest_IsRefused(LoadMode mode)
    {
        // Files mode reads manifest.json; bundle and ranges modes read the manifest frame: each gets another set's.
        var folder = _published.Copy(_published.Current);
        File.Copy(Path.Combine(_published.Other.Location, PublishLayout.ManifestFileName), Path.Combine(folder, PublishLayout.ManifestFileName), overwrite: true);
        var other = _published.Other.Bundle.Manifest;
        BundleForger.RewriteManifest(Path.Combine(folder, PublishLayout.BundleFileName), _ => other);
        await using var server = await LoopbackServer.ServeDirectoryAsync(folder);
        var target = _published.ExistingTarget("swapped-" + mode);

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, Pinned(mode, _published.Current.Bundle.Integrity)));

        Assert.Contains(_published.Current.Bundle.Integrity, error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Load_ManifestEditedAndRehashedConsistently_LoadsUnpinnedButIsRefusedPinned(LoadMode mode)
    {
        // Every hash in the edited manifest still matches the files it describes: only the pin tells it apart.
        var folder = _published.Copy(_published.Current);
        var edited = _published.Current.Bundle.Manifest with { Tool = "Someone Else 6.6.6" };
        BundleForger.RewriteManifest(Path.Combine(folder, PublishLayout.BundleFileName), _ => edited);
        File.WriteAllBytes(Path.Combine(folder, PublishLayout.ManifestFileName), ManifestJson.Serialize(edited));
        await using var server = await LoopbackServer.ServeDirectoryAsync(folder);
        var unpinned = _published.NewTarget("edited-unpinned-" + mode);
        var target = _published.ExistingTarget("edited-" + mode);

        await PackageLoader.LoadAsync(server.BaseUri.ToString(), unpinned, new PackageLoadOptions { Mode = mode });
        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, Pinned(mode, _published.Current.Bundle.Integrity)));

        TreeAssert.Holds(unpinned, _published.CurrentTree);
        Assert.Contains(_published.Current.Bundle.Integrity, error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Load_OlderSignedBundleWhenNewerIsPinned_IsRefused(LoadMode mode)
    {
        await using var server = await LoopbackServer.ServeDirectoryAsync(_published.Copy(_published.Older));
        var target = _published.ExistingTarget("downgrade-" + mode);
        var options = Pinned(mode, _published.Current.Bundle.Integrity) with { TrustedKeys = [_published.PublicKeyA] };

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, options));

        Assert.Contains(_published.Older.Bundle.Integrity, error.Message, StringComparison.Ordinal);
        Assert.Contains(_published.Current.Bundle.Integrity, error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Fact]
    public async Task Options_IntegrityThatIsNotOne_IsRefusedNamingTheProperty()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => PackageLoader.LoadAsync(_published.Current.Location, _published.ExistingTarget("bad-pin"), new PackageLoadOptions { ExpectedIntegrity = "sha256-tooShort" }));

        Assert.Equal(nameof(PackageLoadOptions.ExpectedIntegrity), error.ParamName);
    }

    private static PackageLoadOptions Pinned(LoadMode mode, string integrity) => new() { Mode = mode, ExpectedIntegrity = integrity };
}
