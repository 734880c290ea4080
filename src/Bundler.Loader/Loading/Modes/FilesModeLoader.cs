using System.Globalization;
using System.Security.Cryptography;
using Bundler.Loader.Archives;
using Bundler.Loader.Format;
using Bundler.Loader.IO;
using Bundler.Loader.Loading.Sources;
using Bundler.Loader.Loading.Updates;
using Bundler.Loader.Trust;
using Bundler.Loader.Unpacking;

namespace Bundler.Loader.Loading.Modes;

/// <summary>
/// Files mode: the manifest JSON, then every original archive from <c>files/</c> in parallel. Each archive is
/// hashed while it downloads into a scratch file beside the staging folder, checked against the manifest's size and
/// integrity, and extracted as soon as it has arrived, while the others are still downloading. An archive that
/// arrives wrong (a flipped bit, a body that could not be resumed) is fetched once more from the start.
/// </summary>
internal static class FilesModeLoader
{
    private const int CopyBufferSize = 1 << 17;

    public static async Task LoadAsync(LoadSource source, PublishEntry entry, string target, PackageLoadOptions options, ManifestTrust? trust, LoadUpdate update, CancellationToken cancellationToken)
    {
        trust = await LoadTrust.ForAsync(trust, source, entry.ManifestSignatureName, entry.ManifestName, cancellationToken);
        var (manifest, manifestLength) = await ReadManifestAsync(source, entry.ManifestName, options.Limits, trust, cancellationToken);
        var where = source.Describe(entry.ManifestName);
        var selected = PackageSelection.Select(manifest, options.Packages, where);
        var plan = update.Decide(manifest, where, manifestLength + selected.Sum(p => p.Archive.Size), cancellationToken);
        var packages = plan.Fetch;
        foreach (var package in packages)
        {
            var problem = PublishLayout.ArchiveNameProblem(package.Archive.Name);
            if (problem is not null)
            {
                throw new BundleException($"{where}: the archive name '{package.Archive.Name}' of {package.Id} {package.Version} cannot be served from {PublishLayout.FilesFolder}/: {problem}.");
            }
        }

        using var staging = TreeStaging.Create(target, cancellationToken);
        var scratch = Directory.CreateDirectory(staging.Root + ".archives").FullName;
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, packages.Count),
                new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentRequests, CancellationToken = cancellationToken },
                async (index, token) =>
                {
                    var package = packages[index];
                    var archive = Path.Combine(scratch, index.ToString(CultureInfo.InvariantCulture));
                    try
                    {
                        await DownloadAsync(source, entry.ArchivePath(package), package, archive, token);
                    }
                    catch (BundleException) when (File.Exists(archive))
                    {
                        // Its response started, but the bytes were wrong or could not be completed: fetch it once more from the start.
                        File.Delete(archive);
                        source.Metrics.Retried();
                        await DownloadAsync(source, entry.ArchivePath(package), package, archive, token);
                    }

                    ArchiveExtractor.Extract(archive, source.Describe(entry.ArchivePath(package)), package, EntryPath.Combine(staging.Root, package.Folder), options.Limits, token);
                    File.Delete(archive);
                });
        }
        finally
        {
            TreeStaging.Delete(scratch);
        }

        update.Commit(staging, manifestFrameSize: null, cancellationToken);
    }

    /// <summary>
    /// Reads the manifest JSON. Without a pin or trusted keys it is parsed as it arrives, never held whole (tens of
    /// megabytes for a large set); with them it is held, since it must be verified before it is parsed.
    /// </summary>
    internal static async Task<(Manifest Manifest, long Length)> ReadManifestAsync(LoadSource source, string name, BundleLimits limits, ManifestTrust? trust, CancellationToken cancellationToken)
    {
        var where = source.Describe(name);
        await using var response = await source.OpenAsync(name, cancellationToken);
        var stream = new LengthLimitedStream(response, BundleFormat.MaxManifestJsonSize, () => new BundleException($"{where} is longer than the format's limit of {BundleFormat.MaxManifestJsonSize} bytes of manifest JSON."));
        try
        {
            Manifest manifest;
            if (trust is null)
            {
                manifest = await ManifestJson.DeserializeAsync(stream, cancellationToken);
            }
            else
            {
                using var json = new MemoryStream();
                await stream.CopyToAsync(json, CopyBufferSize, cancellationToken);
                trust.Verify(json.GetBuffer().AsSpan(0, (int)json.Length));
                manifest = ManifestJson.Deserialize(json.GetBuffer().AsSpan(0, (int)json.Length));
            }

            ManifestValidator.Validate(manifest, limits);
            return (manifest, stream.BytesRead);
        }
        catch (BundleException ex) when (!ex.Message.Contains(where, StringComparison.Ordinal))
        {
            throw new BundleException($"{where}: {ex.Message}", ex);
        }
    }

    /// <summary>Downloads the package's archive into <paramref name="path"/>, holding it to the manifest's size and integrity.</summary>
    private static async Task DownloadAsync(LoadSource source, string name, PackageEntry package, string path, CancellationToken cancellationToken)
    {
        var where = source.Describe(name);
        var (algorithm, expected) = ParseIntegrity(package, where);
        using var hash = IncrementalHash.CreateHash(algorithm);
        await using (var input = await source.OpenAsync(name, cancellationToken))
        await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            var buffer = new byte[CopyBufferSize];
            long total = 0;
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > package.Archive.Size)
                {
                    throw new BundleException($"{where} is longer than the {package.Archive.Size} bytes the manifest gives for the archive of {package.Id} {package.Version}; it was replaced or tampered with.");
                }

                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            if (total != package.Archive.Size)
            {
                throw new BundleException($"{where} is {total} bytes; the manifest gives {package.Archive.Size} for the archive of {package.Id} {package.Version}. It is truncated or was replaced.");
            }
        }

        var actual = hash.GetHashAndReset();
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            throw new BundleException($"{where} does not match the manifest's integrity {package.Archive.Integrity} for {package.Id} {package.Version}; it was replaced or tampered with.");
        }
    }

    private static (HashAlgorithmName Algorithm, byte[] Hash) ParseIntegrity(PackageEntry package, string where)
    {
        var integrity = package.Archive.Integrity;
        if (!SubresourceIntegrity.TryParse(integrity, out var algorithm, out var hash))
        {
            throw new BundleException($"The manifest's integrity '{integrity}' for {package.Id} {package.Version} is not a sha256/sha384/sha512 SRI string, so {where} cannot be verified.");
        }

        return (algorithm, hash);
    }
}
