using System.Security.Cryptography;
using Bundler.Core.Download;
using Bundler.Core.IO;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Format;

namespace Bundler.Core.Publishing;

/// <summary>
/// Publishes a bundle to a store in the layout every load mode reads (docs/FORMAT.md §12): the bundle, its manifest
/// JSON, its signature file and each original archive as immutable objects named by their digest, uploaded
/// concurrently and only when missing; then <c>integrity.txt</c> and, last, the entry point <c>index.json</c> that names
/// them. A publish that fails or is cancelled before the entry point is written leaves the previous entry point, and
/// so the previous bundle, as it was; the objects it did upload are named by their digests and harm nothing.
/// </summary>
public static class Publisher
{
    /// <summary>Uploads at a time: enough to fill a link to an object store from one client, few enough for its connection pool.</summary>
    private const int MaxConcurrentUploads = 8;

    /// <summary>Publishes <paramref name="packages"/> to <paramref name="store"/>.</summary>
    public static Task<PublishResult> PublishAsync(IEnumerable<PackageInput> packages, IPublishStore store, BundleWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var inputs = packages.ToList();
        return PublishAsync((path, ct) => BundleWriter.WriteAsync(inputs, path, options, ct), store, options, cancellationToken);
    }

    /// <summary>Publishes the bundle <paramref name="writeBundle"/> writes to the path it is given (the packages' archives as they arrive, say).</summary>
    internal static async Task<PublishResult> PublishAsync(Func<string, CancellationToken, Task<BundleWriteResult>> writeBundle, IPublishStore store, BundleWriterOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writeBundle);
        ArgumentNullException.ThrowIfNull(store);
        options?.Validate();
        await store.PrepareAsync(cancellationToken);

        using var scratch = ScratchFolder.Create();
        var bundle = await writeBundle(Path.Combine(scratch.Path, PublishLayout.BundleFileName), cancellationToken);
        var manifestJson = Path.Combine(scratch.Path, PublishLayout.ManifestFileName);
        await WriteManifestJsonAsync(bundle, manifestJson, cancellationToken);

        var objects = ArchiveObjects(bundle.Inputs, bundle.Manifest);
        var archiveBytes = objects.Sum(o => o.Size);
        objects.Add(new PublishObject(PublishLayout.ManifestPath(bundle.Integrity), manifestJson, new FileInfo(manifestJson).Length, null));
        string? signatureName = null;
        if (bundle.SignaturePath is { } signature)
        {
            signatureName = PublishLayout.SignaturePath(await HashFileAsync(signature, cancellationToken));
            objects.Add(new PublishObject(signatureName, signature, new FileInfo(signature).Length, null));
        }

        var bundleName = PublishLayout.BundlePath(await HashFileAsync(bundle.Path, cancellationToken));
        objects.Add(new PublishObject(bundleName, bundle.Path, bundle.Size, null));

        long uploadedBytes = 0;
        var uploadedFiles = 0;
        await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentUploads, CancellationToken = cancellationToken }, async (item, token) =>
        {
            if (await store.HasAsync(item.Name, item.Size, token))
            {
                return;
            }

            if (item.Integrity is not null)
            {
                await CheckArchiveAsync(item, token);
            }

            await store.PutFileAsync(item.Name, item.Path, CacheControl.Immutable, token);
            Interlocked.Add(ref uploadedBytes, item.Size);
            Interlocked.Increment(ref uploadedFiles);
        });

        var index = new PublishIndex { Integrity = bundle.Integrity, Bundle = bundleName, Manifest = PublishLayout.ManifestPath(bundle.Integrity), Signature = signatureName };
        var indexJson = index.ToJson();
        var previousJson = await store.ReadAsync(PublishLayout.IndexFileName, PublishIndex.MaxSize, cancellationToken);
        if (previousJson is null || !previousJson.AsSpan().SequenceEqual(indexJson))
        {
            var integrityLine = System.Text.Encoding.ASCII.GetBytes(bundle.Integrity + "\n");
            await store.PutBytesAsync(PublishLayout.IntegrityFileName, integrityLine, CacheControl.EntryPoint, cancellationToken);
            await store.PutBytesAsync(PublishLayout.IndexFileName, indexJson, CacheControl.EntryPoint, cancellationToken);
            uploadedFiles += 2;
            uploadedBytes += integrityLine.Length + indexJson.Length;
        }

        await store.FinishAsync(objects.Select(o => o.Name).ToHashSet(StringComparer.Ordinal), await PreviousObjectsAsync(store, previousJson, cancellationToken), cancellationToken);
        return new PublishResult
        {
            Location = store.Describe(""),
            Bundle = bundle with { Path = store.Describe(bundleName), SignaturePath = signatureName is null ? null : store.Describe(signatureName) },
            ArchiveBytes = archiveBytes,
            Objects = objects.Count,
            UploadedFiles = uploadedFiles,
            UploadedBytes = uploadedBytes,
        };
    }

    /// <summary>One object of a publish: its name, the local file it is made from, its size, and for an archive its manifest integrity.</summary>
    private sealed record PublishObject(string Name, string Path, long Size, string? Integrity);

    /// <summary>The objects of each package's original archive, each once (packages may share one), with names that no case-insensitive store confuses.</summary>
    private static List<PublishObject> ArchiveObjects(IReadOnlyList<PackageInput> inputs, Manifest manifest)
    {
        var byFolder = inputs.Select(NuGetLayoutWriter.Normalize).ToDictionary(i => i.Folder, StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var objects = new List<PublishObject>();
        foreach (var package in manifest.Packages)
        {
            var input = byFolder[package.Folder];
            var problem = PublishLayout.ArchiveNameProblem(package.Archive.Name);
            var name = problem is null ? PublishLayout.ArchivePath(package) : package.Archive.Name;
            if (problem is null && names.TryGetValue(name, out var same) && same == name)
            {
                continue;
            }

            if (problem is not null || !names.TryAdd(name, name))
            {
                throw new BundleException($"The archive '{input.ArchivePath}' of {package.Id} {package.Version} cannot be published as {name}: {problem ?? "another package's archive has the same name but for case"}. Rename the archive.");
            }

            objects.Add(new PublishObject(name, input.ArchivePath, package.Archive.Size, package.Archive.Integrity));
        }

        return objects;
    }

    /// <summary>Checks that an archive is still the one the manifest describes before it is uploaded.</summary>
    private static async Task CheckArchiveAsync(PublishObject archive, CancellationToken cancellationToken)
    {
        var actual = await ContentHash.Sha512OfFileAsync(archive.Path, cancellationToken);
        if (actual != archive.Integrity || new FileInfo(archive.Path).Length != archive.Size)
        {
            throw new BundleException($"The archive '{archive.Path}' changed while it was being published; publish again. The previous publish is still in place.");
        }
    }

    /// <summary>The objects the entry point that was there before names, so that a folder keeps them for loads still reading them.</summary>
    private static async Task<IReadOnlySet<string>> PreviousObjectsAsync(IPublishStore store, byte[]? previousJson, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (previousJson is null)
        {
            return names;
        }

        try
        {
            var previous = PublishIndex.Parse(previousJson);
            names.UnionWith([previous.Bundle, previous.Manifest, .. previous.Signature is null ? [] : new[] { previous.Signature }]);
            if (await store.ReadAsync(previous.Manifest, BundleFormat.MaxManifestJsonSize, cancellationToken) is { } manifestJson)
            {
                names.UnionWith(ManifestJson.Deserialize(manifestJson).Packages.Select(PublishLayout.ArchivePath));
            }
        }
        catch (BundleException)
        {
            // An entry point or manifest that cannot be read names nothing worth keeping.
        }

        return names;
    }

    /// <summary>
    /// Writes the manifest JSON and holds it to the bundle's integrity, so that one pin covers the bundle and the
    /// manifest JSON of files mode alike: they are the same bytes.
    /// </summary>
    private static async Task WriteManifestJsonAsync(BundleWriteResult bundle, string path, CancellationToken cancellationToken)
    {
        using var sha256 = SHA256.Create();
        await using (var manifestJson = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        await using (var hashing = new CryptoStream(manifestJson, sha256, CryptoStreamMode.Write))
        {
            await ManifestJson.SerializeAsync(bundle.Manifest, hashing, cancellationToken);
        }

        var integrity = SubresourceIntegrity.Format(HashAlgorithmName.SHA256, sha256.Hash!);
        if (integrity != bundle.Integrity)
        {
            throw new BundleException($"manifest.json would be {integrity}, not the bundle's manifest {bundle.Integrity}; nothing was published. Report this with the package set.");
        }
    }

    private static async Task<byte[]> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await SHA256.HashDataAsync(file, cancellationToken);
    }
}
