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
    public static Task<BundleWriteResult> WriteAsync(IEnumerable<PackageInput> packages, string outputPath, BundleWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packages);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        (options ?? new BundleWriterOptions()).Validate();

        // The whole set is known: refuse a bad one before any archive is opened.
        var inputs = SortAndCheck(packages.Select(NuGetLayoutWriter.Normalize));
        return WriteAsync(inputs.ToAsyncEnumerable(), outputPath, options, written: null, cancellationToken);
    }

    /// <summary>
    /// Writes the bundle of the packages <paramref name="arrivals"/> yields, in the order their archives become
    /// ready (as downloads finish, say). Each package is compressed into frames as soon as it arrives, while the
    /// others are still coming; the frames wait in a temporary file beside the output, and are put in the bundle's
    /// order behind the manifest once the sequence ends. The bytes are those of the same set written in any order.
    /// The first failure (of the sequence or of a package) stops every package being written. <paramref name="written"/>
    /// is called (from several threads) with each package once its frames are in the temporary file.
    /// </summary>
    internal static async Task<BundleWriteResult> WriteAsync(IAsyncEnumerable<PackageInput> arrivals, string outputPath, BundleWriterOptions? options, Action<PackageInput>? written, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arrivals);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        options ??= new BundleWriterOptions();
        options.Validate();
        var signingKeys = options.SigningKeyFiles.Select(ManifestSigningKey.FromPemFile).ToList();
        try
        {
            using var output = new AtomicFile(outputPath);
            using var spill = new SpillFile(output.NewSiblingPath("frames"));
            var packages = await CompressAllAsync(arrivals, spill, options, written, cancellationToken);
            return await AssembleAsync(packages, spill, output, options, signingKeys, cancellationToken);
        }
        finally
        {
            signingKeys.ForEach(k => k.Dispose());
        }
    }

    /// <summary>Compresses every package as it arrives, at most <see cref="BundleWriterOptions.MaxDegreeOfParallelism"/> at once.</summary>
    private static async Task<List<CompressedPackage>> CompressAllAsync(IAsyncEnumerable<PackageInput> arrivals, SpillFile spill, BundleWriterOptions options, Action<PackageInput>? written, CancellationToken cancellationToken)
    {
        using var scratch = ScratchFolder.Create();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var packageSlots = new SemaphoreSlim(options.MaxDegreeOfParallelism);
        using var compressionSlots = new SemaphoreSlim(options.MaxDegreeOfParallelism);
        var compressor = new PackageCompressor(options, spill, scratch.Path, compressionSlots);
        var running = new List<Task<CompressedPackage>>();
        Exception? arrivalFailure = null;
        try
        {
            await foreach (var arrived in arrivals.WithCancellation(stop.Token))
            {
                var input = NuGetLayoutWriter.Normalize(arrived);
                CheckNames(input);
                await packageSlots.WaitAsync(stop.Token);
                running.Add(Task.Run(() => CompressOneAsync(compressor, input, packageSlots, written, stop), CancellationToken.None));
            }
        }
        catch (Exception ex)
        {
            arrivalFailure = ex;
            await stop.CancelAsync();
        }

        try
        {
            await Task.WhenAll(running);
        }
        catch (Exception)
        {
            // The first real failure is chosen below.
        }

        var failure = running.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException)
            ?? (arrivalFailure is OperationCanceledException && !cancellationToken.IsCancellationRequested ? null : arrivalFailure);
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return [.. running.Select(t => t.Result)];
    }

    private static async Task<CompressedPackage> CompressOneAsync(PackageCompressor compressor, PackageInput input, SemaphoreSlim packageSlots, Action<PackageInput>? written, CancellationTokenSource stop)
    {
        try
        {
            var package = await compressor.CompressAsync(input, stop.Token);
            written?.Invoke(input);
            return package;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One bad package fails the bundle: stop the others now, not when they are done.
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            packageSlots.Release();
        }
    }

    /// <summary>Puts the packages in the bundle's order, writes the manifest and copies every frame behind it.</summary>
    private static async Task<BundleWriteResult> AssembleAsync(List<CompressedPackage> compressed, SpillFile spill, AtomicFile output, BundleWriterOptions options, List<ECDsa> signingKeys, CancellationToken cancellationToken)
    {
        var packages = compressed.OrderBy(p => p.Input.Folder, StringComparer.Ordinal).ToList();
        var inputs = SortAndCheck(packages.Select(p => p.Input));
        var trailer = FramePipeline.CompressFrame(new byte[BundleFormat.TarTrailerSize], options.CompressionLevel);
        var entries = new List<PackageEntry>(packages.Count);
        var frames = new List<FrameEntry>();
        var warnings = new List<string>();
        long files = 0, bytes = 0, tarOffset = 0, payloadOffset = 0;
        foreach (var package in packages)
        {
            CheckBundleLimits(package, ref files, ref bytes, options.Limits);
            warnings.AddRange(package.Warnings);
            var start = tarOffset;
            entries.Add(package.Entry with
            {
                TarOffset = start,
                FirstFrame = frames.Count,
                Files = [.. package.Entry.Files.Select(f => f with { Offset = f.Offset + start })],
            });
            foreach (var frame in package.Frames)
            {
                frames.Add(new FrameEntry { Offset = payloadOffset, Size = frame.Size, TarOffset = tarOffset, TarSize = frame.ContentLength });
                payloadOffset += frame.Size;
                tarOffset += frame.ContentLength;
            }
        }

        frames.Add(new FrameEntry { Offset = payloadOffset, Size = trailer.Length, TarOffset = tarOffset, TarSize = BundleFormat.TarTrailerSize });
        var manifest = new Manifest
        {
            FormatVersion = BundleFormat.Version,
            Tool = ToolName,
            Options = new ManifestOptions { CompressionLevel = options.CompressionLevel, MaxFrameSize = options.MaxFrameSize },
            TarSize = tarOffset + BundleFormat.TarTrailerSize,
            PayloadSize = payloadOffset + trailer.Length,
            Packages = entries,
            Frames = frames,
        };
        ManifestValidator.Validate(manifest, options.Limits);

        var (_, integrity, signature) = ManifestFrame.Write(output.Stream, manifest, options.CompressionLevel, signingKeys);
        var buffer = new byte[1 << 20];
        foreach (var frame in packages.SelectMany(p => p.Frames))
        {
            await spill.CopyToAsync(frame.SpillOffset, frame.Size, output.Stream, buffer, cancellationToken);
        }

        await output.Stream.WriteAsync(trailer, cancellationToken);
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
            Inputs = inputs,
        };
    }

    /// <summary>Refuses a bundle that a reader with the same limits would refuse, at the package that crosses a limit; the output is not written.</summary>
    private static void CheckBundleLimits(CompressedPackage package, ref long files, ref long bytes, BundleLimits limits)
    {
        files += package.Entry.Files.Count;
        bytes += package.FileBytes;
        if (files > limits.MaxFileCount || bytes > limits.MaxTotalSize)
        {
            var (what, limit) = files > limits.MaxFileCount ? ($"{files} files", $"{limits.MaxFileCount} files (BundleLimits.MaxFileCount)") : ($"{bytes} bytes", $"{limits.MaxTotalSize} bytes (BundleLimits.MaxTotalSize)");
            throw new BundleException($"With '{package.Input.ArchivePath}' of {package.Input.Id} {package.Input.Version} the bundle reaches {what}, over the limit of {limit} that readers apply; split the packages into several bundles, or raise the limit for the writer and every reader.");
        }
    }

    /// <summary>Sorts the packages into the bundle's order and refuses a package given twice or folders that collide.</summary>
    private static List<PackageInput> SortAndCheck(IEnumerable<PackageInput> packages)
    {
        var inputs = packages.OrderBy(p => p.Folder, StringComparer.Ordinal).ToList();
        var seen = new Dictionary<string, PackageInput>(StringComparer.OrdinalIgnoreCase);
        var folders = new PathCollisionChecker();
        foreach (var input in inputs)
        {
            CheckNames(input);
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

    /// <summary>Refuses an id or version that cannot be a folder name.</summary>
    private static void CheckNames(PackageInput input)
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
    }

    private static string ToolVersion()
    {
        var version = typeof(BundleWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
