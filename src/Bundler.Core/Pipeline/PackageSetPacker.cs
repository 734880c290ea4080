using System.Threading.Channels;
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
    /// <summary>Resolves and downloads the set; returns every package, in the resolved set's order, once all are in the cache.</summary>
    public static async Task<IReadOnlyList<PackageInput>> PrepareAsync(string bundleJsonPath, PackageSetPackOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (resolved, credentials) = await ResolveWithCredentialsAsync(bundleJsonPath, options, cancellationToken);
        var shared = ResolvedPackageInput.SharedArchiveNames(resolved.Packages);
        var remote = resolved.Packages.Where(p => !p.ArchiveUrl.IsFile).ToList();
        var downloads = await DownloadAsync(remote, credentials, options, verified: null, cancellationToken);
        var archives = remote.Zip(downloads).ToDictionary(pair => pair.First, pair => pair.Second);
        return [.. resolved.Packages.Select(p => archives.TryGetValue(p, out var download)
            ? ResolvedPackageInput.From(p, download.Path, download.Integrity, shared)
            : ResolvedPackageInput.From(p, p.ArchiveUrl.LocalPath, verifiedIntegrity: null, shared))];
    }

    /// <summary>
    /// Resolves the set and hands <paramref name="write"/> its packages as their archives become ready: folder
    /// packages at once, downloaded ones as each is verified into the cache, while the other downloads go on. A failed
    /// download ends the sequence with its <see cref="DownloadException"/>; when <paramref name="write"/> fails, the
    /// downloads still running are cancelled (the archives already verified stay in the cache). <paramref name="write"/>
    /// calls the action it is given for each package it has written, for <see cref="PackageSetPackOptions.PackProgress"/>.
    /// </summary>
    public static Task<T> PackAsync<T>(string bundleJsonPath, PackageSetPackOptions options, Func<IAsyncEnumerable<PackageInput>, Action<PackageInput>, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        PackAsync(ct => ResolveWithCredentialsAsync(bundleJsonPath, options, ct), options, write, cancellationToken);

    /// <summary><see cref="PackAsync{T}(string, PackageSetPackOptions, Func{IAsyncEnumerable{PackageInput}, Action{PackageInput}, CancellationToken, Task{T}}, CancellationToken)"/> for <see cref="PackageSet.ForProject"/>: what restore of a project gives, with no lock file of its own.</summary>
    public static Task<T> PackProjectAsync<T>(string projectPath, PackageSetPackOptions options, Func<IAsyncEnumerable<PackageInput>, Action<PackageInput>, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        PackAsync(async ct =>
        {
            using var metadataClient = MetadataHttpClient.Create(options.Download.AllowPrivateNetworkRedirects);
            var sources = new PackageSources(PackageSet.ForProject(projectPath), metadataClient);
            return (await PackageResolver.ResolveAsync(sources, ct), sources.Credentials());
        }, options, write, cancellationToken);

    private static async Task<T> PackAsync<T>(Func<CancellationToken, Task<(ResolvedSet Resolved, IReadOnlyList<SourceCredential> Credentials)>> resolve, PackageSetPackOptions options, Func<IAsyncEnumerable<PackageInput>, Action<PackageInput>, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(write);
        var (resolved, credentials) = await resolve(cancellationToken);
        var shared = ResolvedPackageInput.SharedArchiveNames(resolved.Packages);
        var arrivals = Channel.CreateUnbounded<PackageInput>(new UnboundedChannelOptions { SingleReader = true });
        var progress = options.PackProgress is null ? null : new PackProgressTracker(options.PackProgress, options.AlsoWrite.Count + resolved.Packages.Count);
        using var stopDownloads = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = WriteOrStopDownloadsAsync();
        try
        {
            foreach (var ready in options.AlsoWrite)
            {
                arrivals.Writer.TryWrite(ready);
            }

            foreach (var local in resolved.Packages.Where(p => p.ArchiveUrl.IsFile))
            {
                arrivals.Writer.TryWrite(ResolvedPackageInput.From(local, local.ArchiveUrl.LocalPath, verifiedIntegrity: null, shared));
            }

            var remote = resolved.Packages.Where(p => !p.ArchiveUrl.IsFile).ToList();
            await DownloadAsync(remote, credentials, options with { Progress = (IProgress<DownloadProgress>?)progress ?? options.Progress }, (i, download) => arrivals.Writer.TryWrite(ResolvedPackageInput.From(remote[i], download.Path, download.Integrity, shared)), stopDownloads.Token);
            arrivals.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            arrivals.Writer.TryComplete(ex);
        }

        var result = await writing;
        progress?.Complete();
        return result;

        async Task<T> WriteOrStopDownloadsAsync()
        {
            try
            {
                return await write(arrivals.Reader.ReadAllAsync(cancellationToken), input => progress?.Written(input), cancellationToken);
            }
            catch
            {
                await stopDownloads.CancelAsync();
                throw;
            }
        }
    }

    /// <summary>Resolves the set through bundle.lock.json (writing it when resolving changed it), downloading nothing.</summary>
    public static async Task<ResolvedSet> ResolveAsync(string bundleJsonPath, PackageSetPackOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (await ResolveWithCredentialsAsync(bundleJsonPath, options, cancellationToken)).Resolved;
    }

    private static async Task<(ResolvedSet Resolved, IReadOnlyList<SourceCredential> Credentials)> ResolveWithCredentialsAsync(string bundleJsonPath, PackageSetPackOptions options, CancellationToken cancellationToken)
    {
        var set = await PackageSetParser.LoadAsync(bundleJsonPath, cancellationToken);
        using var metadataClient = MetadataHttpClient.Create(options.Download.AllowPrivateNetworkRedirects);
        var sources = new PackageSources(set, metadataClient);
        var (resolved, _) = await LockedResolution.ResolveAsync(sources, options.Locked, cancellationToken);
        return (resolved, sources.Credentials());
    }

    private static async Task<IReadOnlyList<DownloadResult>> DownloadAsync(List<ResolvedPackage> remote, IReadOnlyList<SourceCredential> credentials, PackageSetPackOptions options, Action<int, DownloadResult>? verified, CancellationToken cancellationToken)
    {
        if (remote.Count == 0)
        {
            return [];
        }

        DelegatingHandler[] handlers = credentials.Count == 0 ? [] : [new SourceCredentialHandler(credentials)];
        using var client = BundlerHttpClient.Create(false, options.Download.AllowPrivateNetworkRedirects, handlers);
        var engine = new DownloadEngine(client, options.Download);
        return await engine.DownloadAsync([.. remote.Select(p => new DownloadRequest(p.ArchiveUrl, p.Integrity, p.Size))], options.Progress, verified, cancellationToken);
    }
}
