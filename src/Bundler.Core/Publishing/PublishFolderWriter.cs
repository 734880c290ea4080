using System.Security.Cryptography;
using Bundler.Core.Download;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Format;
using Bundler.Loader.Trust;
using Bundler.Loader.Unpacking;

namespace Bundler.Core.Publishing;

/// <summary>
/// Writes a publish folder that any static host or CDN can serve, and that every load mode reads:
/// <c>packages.tar.zst</c> (the bundle), <c>manifest.json</c> (the bundle's manifest, the same compact JSON) and
/// <c>files/&lt;archive name&gt;</c> (each original archive, byte for byte). The folder is staged beside its
/// destination and moved into place only when complete.
/// </summary>
public static class PublishFolderWriter
{
    /// <summary>Writes the publish folder of <paramref name="packages"/> to <paramref name="directory"/>, replacing a previous publish folder there.</summary>
    public static Task<PublishResult> WriteAsync(IEnumerable<PackageInput> packages, string directory, BundleWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var inputs = packages.ToList();
        return WriteAsync((path, ct) => BundleWriter.WriteAsync(inputs, path, options, ct), directory, options, cancellationToken);
    }

    /// <summary>Writes the publish folder of the bundle <paramref name="writeBundle"/> writes to the path it is given (the packages' archives as they arrive, say).</summary>
    internal static async Task<PublishResult> WriteAsync(Func<string, CancellationToken, Task<BundleWriteResult>> writeBundle, string directory, BundleWriterOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options?.Validate();
        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        CheckReplaceable(target, directory);

        using var staging = TreeStaging.Create(target, cancellationToken);
        var bundle = await writeBundle(Path.Combine(staging.Root, PublishLayout.BundleFileName), cancellationToken);
        await WriteManifestJsonAsync(bundle, Path.Combine(staging.Root, PublishLayout.ManifestFileName), cancellationToken);
        if (bundle.SignaturePath is not null)
        {
            File.Copy(bundle.SignaturePath, Path.Combine(staging.Root, PublishLayout.ManifestFileName + ManifestSignatureFile.Extension));
        }

        await File.WriteAllTextAsync(Path.Combine(staging.Root, PublishLayout.IntegrityFileName), bundle.Integrity + "\n", cancellationToken);

        var archiveBytes = await CopyArchivesAsync(bundle.Inputs, bundle.Manifest, Path.Combine(staging.Root, PublishLayout.FilesFolder), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(staging.Root, PublishLayout.MarkerFileName), MarkerText, cancellationToken);
        staging.CommitReplacingTarget(cancellationToken);
        return new PublishResult
        {
            Directory = target,
            Bundle = bundle with
            {
                Path = Path.Combine(target, PublishLayout.BundleFileName),
                SignaturePath = bundle.SignaturePath is null ? null : Path.Combine(target, PublishLayout.BundleFileName + ManifestSignatureFile.Extension),
            },
            ArchiveBytes = archiveBytes,
        };
    }

    /// <summary>
    /// Writes manifest.json and holds it to the bundle's integrity, so that one pin covers the bundle and the
    /// manifest.json of files mode alike: they are the same bytes.
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

    private const string MarkerText = "Written by Bundler's pack --publish. The next publish to this folder replaces everything in it.\n";

    private static void CheckReplaceable(string target, string directory)
    {
        if (File.Exists(target))
        {
            throw new BundleException($"The publish folder '{directory}' is a file; give a folder.");
        }

        var folder = new DirectoryInfo(target);
        if (folder.LinkTarget is { } linkTarget)
        {
            throw new BundleException($"The publish folder '{directory}' is a symbolic link (to '{linkTarget}'); give the folder it points to, so that it is clear which folder is replaced.");
        }

        if (folder.Exists && folder.EnumerateFileSystemInfos().Any() && !IsEarlierPublish(folder))
        {
            throw new BundleException($"'{directory}' is not empty and is not a publish folder (it has no {PublishLayout.MarkerFileName}, so pack --publish did not write it); nothing was changed. Choose a new or empty folder, so that nothing of yours is replaced.");
        }
    }

    /// <summary>
    /// A folder this writer made: it has the marker, or (written before the marker existed) it holds exactly the
    /// bundle, its manifest and <c>files/</c>, and the bundle starts as a bundle does.
    /// </summary>
    private static bool IsEarlierPublish(DirectoryInfo folder)
    {
        if (File.Exists(Path.Combine(folder.FullName, PublishLayout.MarkerFileName)))
        {
            return true;
        }

        string[] layout = [PublishLayout.BundleFileName, PublishLayout.ManifestFileName, PublishLayout.FilesFolder];
        var names = folder.EnumerateFileSystemInfos().Select(e => e.Name).Order(StringComparer.Ordinal).ToList();
        if (!names.SequenceEqual(layout.Order(StringComparer.Ordinal))
            || !Directory.Exists(Path.Combine(folder.FullName, PublishLayout.FilesFolder))
            || !File.Exists(Path.Combine(folder.FullName, PublishLayout.BundleFileName)))
        {
            return false;
        }

        Span<byte> head = stackalloc byte[BundleFormat.SkippableFrameHeaderSize + BundleFormat.ManifestMagic.Length];
        using var bundle = new FileStream(Path.Combine(folder.FullName, PublishLayout.BundleFileName), FileMode.Open, FileAccess.Read);
        return bundle.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length
            && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(head) == BundleFormat.SkippableFrameMagic
            && head[BundleFormat.SkippableFrameHeaderSize..].SequenceEqual(BundleFormat.ManifestMagic);
    }

    /// <summary>Copies each package's archive to <c>files/</c>, checking that it is still the archive the manifest describes.</summary>
    private static async Task<long> CopyArchivesAsync(IReadOnlyList<PackageInput> inputs, Manifest manifest, string files, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(files);
        var byFolder = inputs.Select(NuGetLayoutWriter.Normalize).ToDictionary(i => i.Folder, StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        foreach (var package in manifest.Packages)
        {
            var input = byFolder[package.Folder];
            var name = package.Archive.Name;
            var problem = PublishLayout.ArchiveNameProblem(name);
            if (problem is not null || !names.Add(name))
            {
                throw new BundleException($"The archive '{input.ArchivePath}' of {package.Id} {package.Version} cannot be published as {PublishLayout.FilesFolder}/{name}: {problem ?? "another package's archive has the same name"}. Rename the archive.");
            }

            await using var source = new FileStream(input.ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var destination = new FileStream(Path.Combine(files, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
            var buffer = new byte[1 << 17];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha512.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                total += read;
            }

            if ("sha512-" + Convert.ToBase64String(sha512.GetHashAndReset()) != package.Archive.Integrity)
            {
                throw new BundleException($"The archive '{input.ArchivePath}' of {package.Id} {package.Version} changed while it was being published; publish again.");
            }
        }

        return total;
    }
}
