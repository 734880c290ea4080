using System.Reflection;
using System.Security.Cryptography;
using Bundler.Core.Archives;
using Bundler.Core.Download;
using Bundler.Core.IO;
using Bundler.Loader;
using Bundler.Loader.Format;
using Bundler.Loader.Trust;

namespace Bundler.Core.Writing;

/// <summary>
/// Writes a bundle (docs/FORMAT.md) from package archives on disk. Packages are sorted by folder (id/version), files by
/// path, and every header field is fixed, so the same packages and options give the same bytes whatever the input
/// order or machine. Frames are compressed on all cores; the file appears atomically when complete.
/// </summary>
public static class BundleWriter
{
    /// <summary>Name and version written into every manifest.</summary>
    public static string ToolName { get; } = "Bundler " + ToolVersion();

    /// <summary>Writes the bundle of <paramref name="packages"/> to <paramref name="outputPath"/>.</summary>
    public static async Task<BundleWriteResult> WriteAsync(IEnumerable<PackageInput> packages, string outputPath, BundleWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packages);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        options ??= new BundleWriterOptions();
        options.Validate();
        var inputs = SortAndCheck(packages.Select(NuGetLayoutWriter.Normalize));
        var signingKeys = options.SigningKeyFiles.Select(ManifestSigningKey.FromPemFile).ToList();
        try
        {
            return await WriteAsync(inputs, outputPath, options, signingKeys, cancellationToken);
        }
        finally
        {
            signingKeys.ForEach(k => k.Dispose());
        }
    }

    private static async Task<BundleWriteResult> WriteAsync(List<PackageInput> inputs, string outputPath, BundleWriterOptions options, List<ECDsa> signingKeys, CancellationToken cancellationToken)
    {
        using var scratch = ScratchFolder.Create();
        await using var plans = new OrderedWorkWindow<PackageInput, PackagePlan>(inputs, (input, ct) => PlanAsync(input, options.Limits, scratch.Path, ct), PlanWindow(options), cancellationToken);
        using var output = new AtomicFile(outputPath);
        var payloadPath = output.NewSiblingPath("payload");
        await using var payload = new FileStream(payloadPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        var warnings = new List<string>();
        var (entries, frames, tarSize) = await WritePayloadAsync(plans.ReadAllAsync(), payload, options, warnings, cancellationToken);
        var manifest = new Manifest
        {
            FormatVersion = BundleFormat.Version,
            Tool = ToolName,
            Options = new ManifestOptions { CompressionLevel = options.CompressionLevel, MaxFrameSize = options.MaxFrameSize },
            TarSize = tarSize,
            PayloadSize = payload.Length,
            Packages = entries,
            Frames = frames,
        };
        ManifestValidator.Validate(manifest, options.Limits);

        var (_, integrity, signature) = ManifestFrame.Write(output.Stream, manifest, options.CompressionLevel, signingKeys);
        payload.Position = 0;
        await payload.CopyToAsync(output.Stream, 1 << 20, cancellationToken);
        var size = output.Stream.Length;
        using var signatureFile = signature is null ? null : new AtomicFile(output.Destination + ManifestSignatureFile.Extension);
        if (signatureFile is not null)
        {
            await signatureFile.Stream.WriteAsync(signature, cancellationToken);
        }

        output.Commit();
        signatureFile?.Commit();
        return new BundleWriteResult
        {
            Path = output.Destination,
            Size = size,
            Manifest = manifest,
            Integrity = integrity,
            SignaturePath = signatureFile?.Destination,
            Warnings = warnings,
        };
    }

    /// <summary>How many packages are planned ahead of the one being written: enough to keep every core busy.</summary>
    private static int PlanWindow(BundleWriterOptions options) => 2 * options.MaxDegreeOfParallelism;

    /// <summary>Refuses a bundle that a reader with the same limits would refuse, at the package that crosses a limit; the output is not written.</summary>
    private static void CheckBundleLimits(PackagePlan plan, ref long files, ref long bytes, BundleLimits limits)
    {
        files += plan.Files.Count;
        bytes += plan.Files.Sum(f => f.Size);
        if (files > limits.MaxFileCount || bytes > limits.MaxTotalSize)
        {
            var (what, limit) = files > limits.MaxFileCount ? ($"{files} files", $"{limits.MaxFileCount} files (BundleLimits.MaxFileCount)") : ($"{bytes} bytes", $"{limits.MaxTotalSize} bytes (BundleLimits.MaxTotalSize)");
            throw new BundleException($"With '{plan.Input.ArchivePath}' of {plan.Input.Id} {plan.Input.Version} the bundle reaches {what}, over the limit of {limit} that readers apply; split the packages into several bundles, or raise the limit for the writer and every reader.");
        }
    }

    private static List<PackageInput> SortAndCheck(IEnumerable<PackageInput> packages)
    {
        var inputs = packages.OrderBy(p => p.Folder, StringComparer.Ordinal).ToList();
        var seen = new Dictionary<string, PackageInput>(StringComparer.OrdinalIgnoreCase);
        var folders = new PathCollisionChecker();
        foreach (var input in inputs)
        {
            var idSegments = input.Id.Split('/');
            if (!EntryPath.IsValid(input.Id, 256) || idSegments.Length > 2 || (idSegments.Length == 2 && !idSegments[0].StartsWith('@')))
            {
                throw new BundleException($"The package id '{input.Id}' (archive '{input.ArchivePath}') is not usable as a folder name: use one path segment, or '@scope/name'.");
            }

            if (!EntryPath.IsValid(input.Version, 128) || input.Version.Contains('/', StringComparison.Ordinal))
            {
                throw new BundleException($"The version '{input.Version}' of {input.Id} (archive '{input.ArchivePath}') is not usable as a folder name.");
            }

            if (!seen.TryAdd(input.Folder, input))
            {
                throw new BundleException($"{input.Id} {input.Version} is given twice: '{seen[input.Folder].ArchivePath}' and '{input.ArchivePath}' (ids and versions are compared ignoring case).");
            }

            var nested = folders.Add(input.Folder);
            if (nested is not null)
            {
                throw new BundleException($"The folder of {input.Id} {input.Version} (archive '{input.ArchivePath}') collides with another package's: {nested}.");
            }
        }

        return inputs;
    }

    private static async Task<PackagePlan> PlanAsync(PackageInput input, BundleLimits limits, string scratch, CancellationToken cancellationToken)
    {
        var archive = SourceArchive.Open(input, limits, scratch);
        try
        {
            var integrity = input.VerifiedSha512 is { } verified ? Task.FromResult(verified) : ContentHash.Sha512OfFileAsync(input.ArchivePath, cancellationToken);
            var selector = input.KeepArchive ? new FileSelector([], []) : new FileSelector(input.Include, input.Exclude);
            var files = selector.Select(archive.ListFiles(), e => e.Path).OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
            if (input.NuGetLayout && !input.KeepArchive)
            {
                files = NuGetLayoutWriter.Apply(input, files, await integrity);
            }

            var paths = new PathCollisionChecker();
            long total = 0;
            foreach (var file in files)
            {
                var collision = paths.Add(file.Path);
                if (collision is not null)
                {
                    throw new BundleException($"The archive '{input.ArchivePath}' of {input.Id} {input.Version} has colliding entries: {collision}. Nothing was written; exclude one of them.");
                }

                total += file.Size;
            }

            if (total > limits.MaxTotalSize)
            {
                throw new BundleException($"The archive '{input.ArchivePath}' of {input.Id} {input.Version} declares {total} bytes of files, over the limit of {limits.MaxTotalSize} (BundleLimits.MaxTotalSize).");
            }

            return new PackagePlan(input, archive, files, await integrity);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    private static async Task<(List<PackageEntry> Packages, List<FrameEntry> Frames, long TarSize)> WritePayloadAsync(
        IAsyncEnumerable<PackagePlan> plans, Stream payload, BundleWriterOptions options, List<string> warnings, CancellationToken cancellationToken)
    {
        await using var pipeline = new FramePipeline(payload, options.MaxFrameSize, options.CompressionLevel, options.MaxDegreeOfParallelism, cancellationToken);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var packages = new List<PackageEntry>();
        long fileCount = 0, byteCount = 0;
        await foreach (var plan in plans)
        {
            using var _ = plan;
            cancellationToken.ThrowIfCancellationRequested();
            CheckBundleLimits(plan, ref fileCount, ref byteCount, options.Limits);
            warnings.AddRange(plan.Archive.Warnings);
            var input = plan.Input;
            var firstFrame = pipeline.FrameCount;
            var tarOffset = pipeline.TarPosition;
            await WriteHeaderAsync(pipeline, input.Folder + "/", 0, BundleFormat.DirectoryMode, TarHeaderWriter.Directory);
            var files = new List<FileEntry>(plan.Files.Count);
            foreach (var file in plan.Files)
            {
                await WriteHeaderAsync(pipeline, input.Folder + "/" + file.Path, file.Size, file.Mode, TarHeaderWriter.RegularFile);
                var offset = pipeline.TarPosition;
                await using (var data = file.Content is null ? plan.Archive.OpenFile(file) : new MemoryStream(file.Content, writable: false))
                {
                    await CopyAsync(data, file.Size, pipeline, sha256);
                }

                await pipeline.WriteZerosAsync((int)(BundleFormat.PadToBlock(file.Size) - file.Size));
                files.Add(new FileEntry { Path = file.Path, Size = file.Size, Mode = file.Mode, Sha256 = Convert.ToHexStringLower(sha256.GetHashAndReset()), Offset = offset, From = file.From, Generated = file.Generated });
            }

            await pipeline.EndFrameAsync();
            packages.Add(new PackageEntry
            {
                Id = input.Id,
                Version = input.Version,
                Source = input.Source,
                Archive = new ArchiveInfo { Name = input.EffectiveArchiveName, Size = plan.Archive.ArchiveSize, Integrity = plan.Integrity, Url = input.Url },
                KeepArchive = input.KeepArchive,
                Include = input.KeepArchive || input.Include.Count == 0 ? null : input.Include,
                Exclude = input.KeepArchive || input.Exclude.Count == 0 ? null : input.Exclude,
                TarOffset = tarOffset,
                TarSize = pipeline.TarPosition - tarOffset,
                FirstFrame = firstFrame,
                FrameCount = pipeline.FrameCount - firstFrame,
                Files = files,
                Layout = input.NuGetLayout && !input.KeepArchive ? NuGetLayout.Name : null,
            });
        }

        await pipeline.WriteZerosAsync(BundleFormat.TarTrailerSize);
        var tarSize = pipeline.TarPosition;
        var frames = await pipeline.CompleteAsync();
        return (packages, frames, tarSize);
    }

    private static async ValueTask WriteHeaderAsync(FramePipeline pipeline, string name, long size, int mode, byte type)
    {
        var header = new byte[TarHeaderWriter.HeaderLength(name, size)];
        TarHeaderWriter.Write(header, name, size, mode, type);
        await pipeline.WriteAsync(header);
    }

    private static async ValueTask CopyAsync(Stream data, long size, FramePipeline pipeline, IncrementalHash sha256)
    {
        var remaining = size;
        while (remaining > 0)
        {
            var space = await pipeline.GetSpaceAsync();
            var read = data.Read(space.Span[..(int)Math.Min(space.Length, remaining)]);
            sha256.AppendData(space.Span[..read]);
            pipeline.Advance(read);
            remaining -= read;
        }

        // One more read: an entry with more bytes than it declared is refused by the bounded stream.
        _ = data.Read(new byte[1]);
    }

    private static string ToolVersion()
    {
        var version = typeof(BundleWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
