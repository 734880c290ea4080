using System.Security.Cryptography;
using Bundler.Comparison.Browser;
using Bundler.Loader.Loading;
using Bundler.Serving;
using Bundler.Testing;
using Bundler.Testing.Loading;

namespace Bundler.Web.Tests;

/// <summary>The browser loader in headless Chromium against the real server, over HTTPS (h2 or http/1.1 by ALPN) and cleartext HTTP/1.1.</summary>
public sealed class BrowserLoaderTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserTheory]
    [InlineData(true, "h2", "h2")]
    [InlineData(true, "h1", "http/1.1")]
    [InlineData(false, "h1", "http/1.1")]
    public async Task Load_BundleMode_GivesTheDotNetLoadersTreeByteForByteOverTheNegotiatedProtocol(bool tls, string offered, string negotiated)
    {
        await using var server = await StartAsync(tls, offered);
        var target = fixture.Published.NewTarget($"dotnet-{tls}-{offered}");
        await PackageLoader.LoadAsync(FolderUrl(server).AbsoluteUri, target, new PackageLoadOptions { Mode = LoadMode.Bundle, TrustedServerCertificate = tls ? fixture.Certificate : null });

        var result = await fixture.Site.LoadAsync(fixture.Browser, FolderUrl(server), "bundle", null, listFiles: true, CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(Digests(target), result.Files.Select(f => (f.Path, f.Size, f.Sha256)).Order().ToList());
        Assert.Equal([FolderUrl(server) + "index.json", FolderUrl(server) + PublishFolder.BundleName(fixture.Published.Folder)], result.Resources.Select(r => r.Url));
        Assert.All(result.Resources, r => Assert.Equal(negotiated, r.Protocol));
        Assert.Equal(new FileInfo(fixture.Published.BundlePath).Length, result.TransferredBytes);
    }

    [BrowserTheory]
    [InlineData("h2", "h2")]
    [InlineData("h1", "http/1.1")]
    public async Task Load_FilesMode_HandsOverEveryOriginalArchiveByteForByte(string offered, string negotiated)
    {
        await using var server = await StartAsync(tls: true, offered);

        var result = await fixture.Site.LoadAsync(fixture.Browser, FolderUrl(server), "files", null, listFiles: true, CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(ArchiveDigests(fixture.Published.Folder), result.Files.Select(f => (f.Path, f.Size, f.Sha256)).Order().ToList());
        Assert.Equal(fixture.Published.Manifest.Packages.Count + 2, result.Resources.Count);
        Assert.All(result.Resources, r => Assert.Equal(negotiated, r.Protocol));
    }

    [BrowserTheory]
    [InlineData("bundle")]
    [InlineData("files")]
    public async Task Load_PinnedToTheBundlesIntegrity_LoadsAndAnotherPinIsRefusedNamingUrlAndBothDigests(string mode)
    {
        var requested = new List<string>();
        await using var server = await StaticFileServer.StartAsync(fixture.Published.Folder, new StaticFileServerOptions { Certificate = fixture.Certificate, AllowAnyOrigin = true }, r =>
        {
            lock (requested)
            {
                requested.Add(r.Path);
            }
        }, CancellationToken.None);
        var integrity = (await File.ReadAllTextAsync(Path.Combine(fixture.Published.Folder, "integrity.txt"))).Trim();
        var other = "sha256-" + Convert.ToBase64String(SHA256.HashData("another manifest"u8));

        var pinned = await fixture.Site.LoadAsync(fixture.Browser, FolderUrl(server), mode, integrity, listFiles: false, CancellationToken.None);
        await server.WaitUntilIdleAsync(CancellationToken.None);
        lock (requested)
        {
            requested.Clear();
        }

        var refused = await fixture.Site.LoadAsync(fixture.Browser, FolderUrl(server), mode, other, listFiles: false, CancellationToken.None);

        Assert.True(pinned.Ok, pinned.Error);
        Assert.False(refused.Ok);
        Assert.Equal("BundleError", refused.ErrorName);
        var read = mode == "bundle" ? PublishFolder.BundleName(fixture.Published.Folder) : PublishFolder.ManifestName(fixture.Published.Folder);
        Assert.Contains(read, refused.Error, StringComparison.Ordinal);
        Assert.Contains(integrity, refused.Error, StringComparison.Ordinal);
        Assert.Contains(other, refused.Error, StringComparison.Ordinal);
        // Refused on the manifest: files mode asked for no archive.
        await server.WaitUntilIdleAsync(CancellationToken.None);
        lock (requested)
        {
            Assert.Equal(["/index.json", "/" + read], requested);
        }
    }

    [BrowserFact]
    public async Task Load_ArchiveDifferingFromTheManifest_RefusedNamingItsUrl()
    {
        var copy = fixture.Published.NewTarget("doctored-files");
        CopyFolder(fixture.Published.Folder, copy);
        var archive = Directory.GetFiles(Path.Combine(copy, "files"), "*", SearchOption.AllDirectories)[0];
        var bytes = await File.ReadAllBytesAsync(archive);
        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(archive, bytes);
        await using var server = await StaticFileServer.StartAsync(copy, new StaticFileServerOptions { AllowAnyOrigin = true, Certificate = fixture.Certificate }, null, CancellationToken.None);

        var result = await fixture.Site.LoadAsync(fixture.Browser, server.HttpsUrl!, "files", null, listFiles: false, CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Contains(Uri.EscapeDataString(Path.GetFileName(archive)), result.Error, StringComparison.Ordinal);
        Assert.Contains("does not match the manifest", result.Error, StringComparison.Ordinal);
    }

    [BrowserTheory]
    [InlineData("bundle")]
    [InlineData("files")]
    public async Task Load_FolderWrittenBeforeTheIndex_LoadsFromTheLegacyNames(string mode)
    {
        await using var server = await StaticFileServer.StartAsync(fixture.Legacy.Folder, new StaticFileServerOptions { Certificate = fixture.Certificate, AllowAnyOrigin = true }, null, CancellationToken.None);
        var target = fixture.Legacy.NewTarget("legacy-" + mode);
        await PackageLoader.LoadAsync(server.HttpsUrl!.AbsoluteUri, target, new PackageLoadOptions { Mode = LoadMode.Bundle, TrustedServerCertificate = fixture.Certificate });

        var result = await fixture.Site.LoadAsync(fixture.Browser, server.HttpsUrl!, mode, null, listFiles: true, CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(mode == "bundle" ? Digests(target) : Digests(Path.Combine(fixture.Legacy.Folder, "files")), result.Files.Select(f => (f.Path, f.Size, f.Sha256)).Order().ToList());
        Assert.Contains(result.Resources, r => r.Url == server.HttpsUrl + (mode == "bundle" ? "packages.tar.zst" : "manifest.json"));
    }

    /// <summary>The publish folder's server: with TLS, "h2" offers h2 and http/1.1 by ALPN and "h1" only http/1.1.</summary>
    private Task<StaticFileServer> StartAsync(bool tls, string offered) =>
        StaticFileServer.StartAsync(fixture.Published.Folder, new StaticFileServerOptions { Protocols = offered == "h2" ? ServeProtocols.Both : ServeProtocols.Http1, Certificate = tls ? fixture.Certificate : null, AllowAnyOrigin = true }, null, CancellationToken.None);

    private static Uri FolderUrl(StaticFileServer server) => server.HttpsUrl ?? server.Http1Url!;

    /// <summary>Every file under <paramref name="root"/> but the load record: relative path, size and sha256.</summary>
    private static List<(string, long, string)> Digests(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => (Path: Path.GetRelativePath(root, f).Replace('\\', '/'), File: f))
            .Where(f => !f.Path.StartsWith(".bundler-load/", StringComparison.Ordinal))
            .Select(f => (f.Path, new FileInfo(f.File).Length, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f.File)))))
            .Order()];

    /// <summary>Each original archive of a publish folder by its own name (the last segment of its object name): name, size and sha256.</summary>
    private static List<(string, long, string)> ArchiveDigests(string folder) =>
        [.. Digests(Path.Combine(folder, "files")).Select(d => (d.Item1[(d.Item1.LastIndexOf('/') + 1)..], d.Item2, d.Item3)).Order()];

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
