using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Build.Framework;
using NuGet.Versioning;
using Bundler.Build.Diagnostics;
using Bundler.Build.Items;
using Bundler.Core.Resolution;
using Bundler.Core.Writing;
using Bundler.Loader;

namespace Bundler.Build.Tasks;

/// <summary>
/// Resolves <c>BundlePackage</c> items against their <c>BundleSource</c> items into exact packages, each with the
/// archive it will be bundled from (a folder package's file; a remote package's URL, downloaded by
/// <see cref="WriteBundle"/>); in locked mode, refuses any result that differs from the lock file.
/// </summary>
public sealed class ResolveBundlePackages : BundlerTask
{
    /// <summary>The <c>BundlePackage</c> items: Include = id; metadata Version, Source, Include, Exclude, KeepArchive. None when only project sources are declared.</summary>
    public ITaskItem[] Packages { get; set; } = [];

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
            cancellationToken);
        if (LockedMode)
        {
            await CheckLockAsync(packages, cancellationToken);
        }

        ResolvedPackages = [.. packages.Select(p => p.ToTaskItem())];
        foreach (var package in packages)
        {
            Log.LogMessage(MessageImportance.Low, $"Bundler: {package.Input.Id} {package.Input.Version} from {(package.Input.ArchivePath.Length > 0 ? package.Input.ArchivePath : package.Input.Url)}");
        }
    }

    /// <summary>Compares the resolved packages with the lock file, whose format and comparison are Core's.</summary>
    private async Task CheckLockAsync(IReadOnlyList<ResolvedItem> packages, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(LockFile))
        {
            throw new BundleBuildException(DiagnosticCodes.InvalidProperty, "BundlerLockedMode is true but BundlerLockFile is empty; set BundlerLockFile to the lock file's path.");
        }

        ResolvedSet locked;
        try
        {
            var document = await Core.Resolution.Locking.LockFile.ReadAsync(LockFile, cancellationToken)
                ?? throw new BundleBuildException(DiagnosticCodes.LockFileMismatch,
                    $"BundlerLockedMode is true but the lock file '{LockFile}' does not exist; build once without BundlerLockedMode to write it, and commit it.");
            locked = Core.Resolution.Locking.LockFile.ToSet(document, LockFile);
        }
        catch (BundleException ex)
        {
            throw new BundleBuildException(DiagnosticCodes.LockFileMismatch,
                $"The lock file '{LockFile}' cannot be read ({ex.Message}); delete it and build once without BundlerLockedMode to write it again.");
        }

        var resolved = new ResolvedSet(packages.Select(p => p.Resolved));
        if (!locked.SameAs(resolved))
        {
            throw new BundleBuildException(DiagnosticCodes.LockFileMismatch,
                $"BundlerLockedMode is true and the packages differ from the lock file '{LockFile}':{Core.Resolution.Locking.LockFile.Describe(locked, resolved)}\n"
                + "Restore the archives the lock names, or build without BundlerLockedMode to update the lock file.");
        }
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
