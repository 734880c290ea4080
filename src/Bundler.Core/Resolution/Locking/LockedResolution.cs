using Bundler.Core.Download;
using Bundler.Core.PackageSets;
using Bundler.Core.Sources;
using Bundler.Loader;

namespace Bundler.Core.Resolution.Locking;

/// <summary>How a resolution used bundle.lock.json.</summary>
internal enum LockOutcome
{
    /// <summary>The lock matched bundle.json, so it was used as it is, without asking any source.</summary>
    ReadFromLock,

    /// <summary>Resolved; the lock already said exactly this and was left alone.</summary>
    Unchanged,

    /// <summary>Resolved and the lock was written (it was missing, or bundle.json had changed).</summary>
    Written,
}

/// <summary>
/// Resolution with the lock file beside bundle.json: without <c>locked</c>, a lock written for the same bundle.json is
/// used as it is, and otherwise the set is resolved and the lock rewritten; with <c>locked</c>, the set is resolved
/// and the run fails, writing nothing, if the lock is missing, stale or would change. A set with a project source is
/// always resolved (restore is asked), as the projects, not bundle.json, say what it holds; with <c>locked</c> the run
/// fails if restore now chooses other packages, versions or hashes than the lock records.
/// </summary>
internal static class LockedResolution
{
    public static async Task<(ResolvedSet Set, LockOutcome Outcome)> ResolveAsync(PackageSources sources, bool locked, CancellationToken cancellationToken)
    {
        var set = sources.Set;
        var lockPath = set.LockFilePath;
        var existing = await LockFile.ReadAsync(lockPath, cancellationToken);
        // A project source's set is what restore gives now, whatever bundle.json says, so it is always asked.
        var fromProjects = set.Sources.Values.Any(s => s.Kind == SourceKind.Project);
        if (!locked && !fromProjects && existing is not null && existing.BundleJson == set.ContentHash)
        {
            return (LockFile.ToSet(existing, lockPath), LockOutcome.ReadFromLock);
        }

        if (locked && existing is null)
        {
            throw new BundleException($"{lockPath} does not exist, and --locked forbids creating it; resolve once without --locked and commit the lock file.");
        }

        if (locked && existing!.BundleJson != set.ContentHash)
        {
            throw new BundleException($"{set.FilePath} changed since {lockPath} was written, and --locked forbids updating it; resolve without --locked and commit the lock file.");
        }

        var resolved = await PackageResolver.ResolveAsync(sources, cancellationToken);
        var document = LockFile.From(resolved, set.ContentHash, lockPath);
        if (existing is not null && LockFile.Serialize(existing).AsSpan().SequenceEqual(LockFile.Serialize(document)))
        {
            return (resolved, LockOutcome.Unchanged);
        }

        if (locked)
        {
            throw new BundleException($"Resolving {set.FilePath} now gives a different set than {lockPath}, and --locked forbids updating it:{LockFile.Describe(LockFile.ToSet(existing!, lockPath), resolved)}");
        }

        await LockFile.WriteAsync(lockPath, document, cancellationToken);
        return (resolved, LockOutcome.Written);
    }
}
