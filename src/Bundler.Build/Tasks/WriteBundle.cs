using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Build.Framework;
using Bundler.Build.Diagnostics;
using Bundler.Build.Items;
using Bundler.Core.Download;
using Bundler.Core.Pipeline;
using Bundler.Core.Resolution;
using Bundler.Core.Writing;

namespace Bundler.Build.Tasks;

/// <summary>
/// Writes the bundle of the resolved packages, then the lock file; both appear atomically. Remote packages are
/// downloaded into the cache as the bundle is written, each written as its archive arrives (the pipeline of
/// <c>pack bundle.json</c>).
/// </summary>
public sealed class WriteBundle : BundlerTask
{
    /// <summary>The items <see cref="ResolveBundlePackages"/> returned.</summary>
    [Required, NotNull]
    public ITaskItem[]? Packages { get; set; }

    /// <summary>The bundle to write (<c>.tar.zst</c>).</summary>
    [Required, NotNull]
    public string? OutputPath { get; set; }

    /// <summary>The lock file to write beside it; none when empty.</summary>
    public string? LockFile { get; set; }

    /// <summary>zstd level: -7 to -1 or 1 to 22; empty for the default.</summary>
    public string? CompressionLevel { get; set; }

    /// <summary>How many frames are compressed at once; empty or 0 for the number of processors.</summary>
    public string? Concurrency { get; set; }

    /// <summary>The download cache folder; empty for the default.</summary>
    public string? CacheFolder { get; set; }

    /// <summary>PEM files of ECDSA P-256 private keys, <c>;</c>-separated, that sign the manifest into <c>&lt;bundle&gt;.sig</c>; none when empty.</summary>
    public string? SigningKeyFiles { get; set; }

    /// <summary>The bundle's integrity (<c>sha256-</c> and the Base64 of its manifest's SHA-256), for an application to pin.</summary>
    [Output]
    public string? Integrity { get; private set; }

    /// <summary>True once the bundle was written (false when the target was skipped as up to date).</summary>
    [Output]
    public bool Written { get; private set; }

    private protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var options = new BundleWriterOptions
        {
            CompressionLevel = ParseInt(CompressionLevel, "BundlerCompressionLevel", BundleWriterOptions.MinCompressionLevel, BundleWriterOptions.MaxCompressionLevel, 3),
            MaxDegreeOfParallelism = ParseInt(Concurrency, "BundlerConcurrency", 0, 1024, 0) is var workers and > 0 ? workers : Environment.ProcessorCount,
            SigningKeyFiles = (SigningKeyFiles ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
        if (!BundleWriterOptions.IsValidCompressionLevel(options.CompressionLevel))
        {
            throw new BundleBuildException(DiagnosticCodes.InvalidProperty, $"BundlerCompressionLevel is {options.CompressionLevel}, which zstd does not accept here; use -7 to -1 (faster) or 1 to 22 (smaller).");
        }

        var result = await WriteAsync(options, cancellationToken);
        foreach (var warning in result.Warnings)
        {
            LogWarning(DiagnosticCodes.EntrySkipped, warning);
        }

        if (!string.IsNullOrEmpty(LockFile))
        {
            var resolved = new ResolvedSet(Packages.Select(ResolvedItem.ResolvedOf));
            await Core.Resolution.Locking.LockFile.WriteAsync(LockFile, Core.Resolution.Locking.LockFile.From(resolved, bundleJsonHash: null, LockFile), cancellationToken);
        }

        Written = true;
        Integrity = result.Integrity;
        var files = result.Manifest.Packages.Sum(p => p.Files.Count);
        Log.LogMessage(MessageImportance.High, string.Create(CultureInfo.InvariantCulture,
            $"Bundler: wrote {result.Path} ({result.Manifest.Packages.Count} packages, {files} files, {result.Size} bytes), integrity {result.Integrity}{(result.SignaturePath is null ? "" : ", signed")}."));
    }

    private async Task<BundleWriteResult> WriteAsync(BundleWriterOptions options, CancellationToken cancellationToken)
    {
        var local = Packages.Where(p => ResolvedItem.PackageSetOf(p) is null).Select(ResolvedItem.InputOf).ToList();
        var sets = Packages.Select(ResolvedItem.PackageSetOf).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (sets.Count == 0)
        {
            return await BundleWriter.WriteAsync(local, OutputPath, options, cancellationToken);
        }

        if (sets.Count > 1)
        {
            throw new BundleBuildException(DiagnosticCodes.InvalidProperty, $"The packages were resolved in several package sets ({string.Join(", ", sets)}); give WriteBundle the items of one ResolveBundlePackages.");
        }

        var packOptions = new PackageSetPackOptions
        {
            Download = new DownloadOptions { CacheDirectory = string.IsNullOrEmpty(CacheFolder) ? null : CacheFolder },
            Progress = new MSBuildDownloadProgress(Log),
            AlsoWrite = local,
        };
        try
        {
            return await PackageSetPacker.PackAsync(sets[0], packOptions, (arrivals, written, ct) => BundleWriter.WriteAsync(arrivals, OutputPath, options, written, ct), cancellationToken);
        }
        catch (DownloadException ex)
        {
            throw new BundleBuildException(DiagnosticCodes.DownloadFailed, ex.Message);
        }
    }

    private static int ParseInt(string? text, string property, int min, int max, int fallback)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new BundleBuildException(DiagnosticCodes.InvalidProperty, $"{property} is '{text}'; use a whole number from {min} to {max}.");
    }
}
