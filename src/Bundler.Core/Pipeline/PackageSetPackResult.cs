using Bundler.Core.Download;
using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;

namespace Bundler.Core.Pipeline;

/// <summary>What resolving and downloading a package set gave: exact packages, their archives on disk, and the lock file's fate.</summary>
internal sealed record PackageSetPackResult(
    PackageSet Set,
    ResolvedSet Resolved,
    LockOutcome Lock,
    IReadOnlyList<DownloadResult> Downloads,
    IReadOnlyList<PackageInput> Inputs);
