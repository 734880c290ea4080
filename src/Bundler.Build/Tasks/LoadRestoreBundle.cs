using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Build.Framework;
using Bundler.Build.Diagnostics;
using Bundler.Loader;
using Bundler.Loader.Loading;

namespace Bundler.Build.Tasks;

/// <summary>
/// Loads a restore-ready bundle into the packages folder restore is about to use, as <c>restore-from</c> does: adds
/// the packages the folder lacks, leaves those it has. Run once per restore by <c>Bundler.Build.RestoreFrom.proj</c>.
/// </summary>
public sealed class LoadRestoreBundle : BundlerTask
{
    /// <summary>A publish folder (URL or path) or a <c>.tar.zst</c> (URL or path).</summary>
    [Required, NotNull]
    public string? Location { get; set; }

    /// <summary>The packages folder restore uses (NuGet's own resolution of it).</summary>
    [Required, NotNull]
    public string? PackagesFolder { get; set; }

    /// <summary>The bundle's integrity (<c>sha256-…</c>) to insist on; any bundle when empty.</summary>
    public string? Integrity { get; set; }

    private protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        PackagesFolderLoad result;
        try
        {
            result = await PackagesFolderLoader.LoadAsync(Location, PackagesFolder, new PackageLoadOptions
            {
                ExpectedIntegrity = string.IsNullOrWhiteSpace(Integrity) ? null : Integrity.Trim(),
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is BundleException or HttpRequestException)
        {
            throw new BundleBuildException(DiagnosticCodes.RestoreFromFailed,
                $"BundlerRestoreFrom '{Location}' could not be loaded into the packages folder '{PackagesFolder}' ({ex.Message}); restore stopped, and the folder holds what it held. Correct BundlerRestoreFrom or BundlerRestoreIntegrity, or check the network.");
        }

        foreach (var warning in result.Load?.Warnings ?? [])
        {
            LogWarning(DiagnosticCodes.EntrySkipped, warning);
        }

        Log.LogMessage(result.Added.Count > 0 ? MessageImportance.High : MessageImportance.Normal, string.Create(CultureInfo.InvariantCulture,
            $"Bundler: restore-from {Location} into {result.PackagesFolder}: {result.Added.Count} packages added, {result.Kept.Count} already there ({clock.Elapsed.TotalSeconds:0.00} s)."));
    }
}
