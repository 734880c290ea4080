using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;
using NuGet.Versioning;
using Bundler.Build.Diagnostics;
using Bundler.Build.Items;
using Bundler.Core.Resolution.Locking;
using Bundler.Core.Writing;
using Bundler.Loader.Format;

namespace Bundler.Build.Tasks;

/// <summary>
/// Resolves <c>BundlePackage</c> items against their <c>BundleSource</c> items into exact packages, each with the
/// archive it will be bundled from; in locked mode, refuses any result that differs from the lock file.
/// </summary>
public sealed class ResolveBundlePackages : BundlerTask
{
    /// <summary>The <c>BundlePackage</c> items: Include = id; metadata Version, Source, Include, Exclude, KeepArchive.</summary>
    [Required, NotNull]
    public ITaskItem[]? Packages { get; set; }

    /// <summary>The <c>BundleSource</c> items: Include = name; metadata Type, Path or Url.</summary>
    public ITaskItem[] Sources { get; set; } = [];

    /// <summary>The folder relative paths in the items are relative to.</summary>
    [Required, NotNull]
    public string? ProjectDirectory { get; set; }

    /// <summary>The lock file; read in locked mode.</summary>
    public string? LockFile { get; set; }

    /// <summary>When true, the resolved packages must match the lock file exactly.</summary>
    public bool LockedMode { get; set; }

    /// <summary>Where the package set of non-folder sources and its resolution lock are kept (under obj/).</summary>
    public string? WorkDirectory { get; set; }

    /// <summary>The download cache folder; empty for the default.</summary>
    public string? CacheFolder { get; set; }

    /// <summary>One item per package: Include = id; metadata Version, ArchivePath, Source, Include, Exclude, KeepArchive.</summary>
    [Output]
    public ITaskItem[] ResolvedPackages { get; private set; } = [];

    private protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        LogLoadedAssemblies();
        var packages = await PackageItemReader.ReadAsync(
            Packages,
            Sources,
            ProjectDirectory,
            string.IsNullOrEmpty(WorkDirectory) ? Path.Combine(ProjectDirectory, "obj", "bundler") : Path.GetFullPath(WorkDirectory, ProjectDirectory),
            string.IsNullOrEmpty(CacheFolder) ? null : CacheFolder,
            new MSBuildDownloadProgress(Log),
            cancellationToken);
        if (LockedMode)
        {
            await CheckLockAsync(packages, cancellationToken);
        }

        ResolvedPackages = [.. packages.Select(ToItem)];
        foreach (var package in packages)
        {
            Log.LogMessage(MessageImportance.Low, $"Bundler: {package.Id} {package.Version} from {package.ArchivePath}");
        }
    }

    private async Task CheckLockAsync(IReadOnlyList<PackageInput> packages, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(LockFile))
        {
            throw new BundleBuildException(DiagnosticCodes.InvalidProperty, "BundlerLockedMode is true but BundlerLockFile is empty; set BundlerLockFile to the lock file's path.");
        }

        var locked = await BundleLockFile.ReadAsync(LockFile, cancellationToken)
            ?? throw new BundleBuildException(DiagnosticCodes.LockFileMismatch,
                $"BundlerLockedMode is true but the lock file '{LockFile}' does not exist; build once without BundlerLockedMode to write it, and commit it.");
        var differences = locked.Differences(await BundleLockFile.FromInputsAsync(packages, cancellationToken));
        if (differences.Count > 0)
        {
            throw new BundleBuildException(DiagnosticCodes.LockFileMismatch,
                $"BundlerLockedMode is true and the packages differ from the lock file '{LockFile}': {string.Join("; ", differences)}. "
                + "Restore the archives the lock names, or build without BundlerLockedMode to update the lock file.");
        }
    }

    private static TaskItem ToItem(PackageInput package)
    {
        var item = new TaskItem(package.Id);
        item.SetMetadata("Version", package.Version);
        item.SetMetadata("ArchivePath", package.ArchivePath);
        item.SetMetadata("Source", package.Source);
        item.SetMetadata("Include", string.Join(';', package.Include));
        item.SetMetadata("Exclude", string.Join(';', package.Exclude));
        item.SetMetadata("KeepArchive", package.KeepArchive ? "true" : "false");
        item.SetMetadata("NuGetLayout", package.NuGetLayout ? "true" : "false");
        item.SetMetadata("Url", package.Url ?? "");
        return item;
    }

    /// <summary>Says which copies of its dependencies the task runs with: its own, beside it, not the SDK's.</summary>
    private void LogLoadedAssemblies()
    {
        foreach (var assembly in new[] { typeof(ResolveBundlePackages).Assembly, typeof(NuGetVersion).Assembly, typeof(PackageInput).Assembly })
        {
            Log.LogMessage(MessageImportance.Low, $"Bundler: using {assembly.GetName().Name} {assembly.GetName().Version} ({assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion}) from {assembly.Location}");
        }
    }
}
