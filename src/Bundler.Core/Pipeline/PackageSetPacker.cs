using Bundler.Core.Download;
using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;
using Bundler.Core.Resolution.Locking;
using Bundler.Core.Sources;
using Bundler.Core.Writing;

namespace Bundler.Core.Pipeline;

/// <summary>
/// bundle.json to bundle writer input: resolve (through bundle.lock.json), download every remote archive into the
/// cache concurrently and verified, and describe each package for the writer. Folder sources are read in place.
/// </summary>
internal static class PackageSetPacker
{
    public static async Task<IReadOnlyList<PackageInput>> PrepareAsync(string bundleJsonPath, PackageSetPackOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var set = await PackageSetParser.LoadAsync(bundleJsonPath, cancellationToken);
        ResolvedSet resolved;
        IReadOnlyList<SourceCredential> credentials;
        using (var metadataClient = MetadataHttpClient.Create(options.Download.AllowPrivateNetworkRedirects))
        {
            var sources = new PackageSources(set, metadataClient);
            (resolved, _) = await LockedResolution.ResolveAsync(sources, options.Locked, cancellationToken);
            credentials = sources.Credentials();
        }

        var remote = resolved.Packages.Where(p => !p.ArchiveUrl.IsFile).ToList();
        IReadOnlyList<DownloadResult> downloads = [];
        if (remote.Count > 0)
        {
            DelegatingHandler[] handlers = credentials.Count == 0 ? [] : [new SourceCredentialHandler(credentials)];
            using var client = BundlerHttpClient.Create(false, options.Download.AllowPrivateNetworkRedirects, handlers);
            var engine = new DownloadEngine(client, options.Download);
            downloads = await engine.DownloadAsync(
                [.. remote.Select(p => new DownloadRequest(p.ArchiveUrl, p.Integrity, p.Size))],
                options.Progress,
                cancellationToken);
        }

        var archives = remote.Zip(downloads).ToDictionary(pair => pair.First, pair => pair.Second);
        return ResolvedPackageInput.WithDistinctArchiveNames([.. resolved.Packages.Select(p => archives.TryGetValue(p, out var download)
            ? ResolvedPackageInput.From(p, download.Path, download.Integrity)
            : ResolvedPackageInput.From(p, p.ArchiveUrl.LocalPath, verifiedIntegrity: null))]);
    }
}
