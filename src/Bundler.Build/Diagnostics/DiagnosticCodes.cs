namespace Bundler.Build.Diagnostics;

/// <summary>The codes of every error and warning the tasks log; docs/msbuild.md lists each with its fix.</summary>
internal static class DiagnosticCodes
{
    /// <summary>A BundlePackage item has no Version metadata.</summary>
    public const string MissingVersion = "BNDL0001";

    /// <summary>A BundlePackage item's Version is neither a version nor a NuGet version range.</summary>
    public const string InvalidVersion = "BNDL0002";

    /// <summary>A BundlePackage item names a source no BundleSource item declares, or names none while several exist.</summary>
    public const string UnknownSource = "BNDL0003";

    /// <summary>A BundleSource item has no Type, or one that Bundler does not know.</summary>
    public const string UnknownSourceType = "BNDL0004";

    /// <summary>A BundleSource item's Type is known but cannot be bundled by this version of Bundler.Build.</summary>
    public const string ResolutionFailed = "BNDL0005";

    /// <summary>A folder source has no Path, or its folder does not exist.</summary>
    public const string FolderNotFound = "BNDL0006";

    /// <summary>No archive in the source matches the package's id and version.</summary>
    public const string PackageNotFound = "BNDL0007";

    /// <summary>A property of the build (compression level, concurrency, paths) has a value the task cannot use.</summary>
    public const string InvalidProperty = "BNDL0008";

    /// <summary>Locked mode is on and the lock file is missing or disagrees with what the items resolve to.</summary>
    public const string LockFileMismatch = "BNDL0009";

    /// <summary>An archive could not be bundled (unreadable, unsafe or over a limit) or the bundle could not be written.</summary>
    public const string BundleFailed = "BNDL0010";

    /// <summary>Warning: an archive entry was left out of the bundle (a link inside a package, for example).</summary>
    public const string EntrySkipped = "BNDL0011";

    /// <summary>Two BundlePackage items name the same package id.</summary>
    public const string DuplicatePackage = "BNDL0012";

    /// <summary>An archive of a nuget, npm, pyodide-lock or urls source could not be downloaded.</summary>
    public const string DownloadFailed = "BNDL0013";

    /// <summary>The bundle BundlerRestoreFrom names could not be loaded into restore's packages folder.</summary>
    public const string RestoreFromFailed = "BNDL0014";

    /// <summary>Warning: BundlerRestoreFrom is set, but Bundler.Build is a PackageReference, whose targets restore does not import.</summary>
    public const string RestoreFromNeedsSdk = "BNDL0015";
}
