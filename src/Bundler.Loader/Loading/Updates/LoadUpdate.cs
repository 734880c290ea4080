using Bundler.Loader.Format;
using Bundler.Loader.Unpacking;

namespace Bundler.Loader.Loading.Updates;

/// <summary>
/// One load seen as an update of its target: the record of the previous load (<see cref="LoadRecord"/>), read after
/// what killed runs left has been put right; the plan of what to keep, fetch and remove once the new manifest is in
/// (<see cref="Decide"/>); and the commit that moves the fetched packages and the new record in and the removed
/// packages out, in one journaled commit (<see cref="TreeStaging.Commit(IEnumerable{string}, IEnumerable{string}, CancellationToken)"/>).
/// Every mode calls it the same way; only how the changed packages' bytes are fetched differs.
/// </summary>
internal sealed class LoadUpdate
{
    private const int HeadMargin = 256;
    private const int HeadGrowthDivisor = 32;

    private readonly string _target;
    private readonly PackageLoadOptions _options;
    private readonly LoadMetrics _metrics;
    private readonly LoadRecord? _record;
    private readonly Dictionary<string, RecordedPackage> _recorded;

    private LoadUpdate(string target, PackageLoadOptions options, LoadMetrics metrics, LoadRecord? record)
    {
        _target = target;
        _options = options;
        _metrics = metrics;
        _record = record;
        _recorded = record?.Packages.ToDictionary(p => p.Folder, StringComparer.Ordinal) ?? [];
    }

    /// <summary>True when the target holds packages of an earlier load that this one may keep.</summary>
    public bool HasRecord => _recorded.Count > 0;

    /// <summary>
    /// How many bytes of the bundle's head to ask for first: the previous manifest frame and a little room for it to
    /// have grown (the rest of a longer one is fetched after it), or null for the mode's default.
    /// </summary>
    public int? HeadSize => HasRecord && _record!.ManifestFrameSize is > 0 and <= BundleFormat.MaxManifestFrameSize and var size
        ? (int)(size + (size / HeadGrowthDivisor) + HeadMargin)
        : null;

    /// <summary>The plan, once <see cref="Decide"/> has made it.</summary>
    public UpdatePlan? Plan { get; private set; }

    /// <summary>What loading every selected package from nothing would have transferred in this mode.</summary>
    public long FullLoadBytes { get; private set; }

    public static LoadUpdate Begin(string target, PackageLoadOptions options, LoadMetrics metrics, CancellationToken cancellationToken)
    {
        TreeStaging.RecoverLeftovers(target, cancellationToken);
        return new LoadUpdate(target, options, metrics, LoadRecord.Read(target, metrics));
    }

    /// <summary>Selects the packages of the new manifest and decides which to fetch, keep and remove.</summary>
    /// <param name="manifest">The new manifest, validated.</param>
    /// <param name="where">The manifest's URL or path, for messages.</param>
    /// <param name="fullLoadBytes">What loading every selected package from nothing transfers in this mode.</param>
    /// <param name="cancellationToken">Stops the local checks.</param>
    public UpdatePlan Decide(Manifest manifest, string where, long fullLoadBytes, CancellationToken cancellationToken)
    {
        var selected = PackageSelection.Select(manifest, _options.Packages, where);
        if (selected.FirstOrDefault(p => string.Equals(p.Id, LoadRecord.FolderName, StringComparison.OrdinalIgnoreCase)) is { } reserved)
        {
            throw new BundleException($"{where}: the package id '{reserved.Id}' is the name of the folder where a load keeps its record; rename the package.");
        }

        var plan = PackageDiff.Compare(_record, selected, subset: _options.Packages is { Count: > 0 });
        Plan = plan.Kept.Count > 0 ? CheckLocalCopies(plan, cancellationToken) : plan;
        FullLoadBytes = fullLoadBytes;
        return Plan;
    }

    /// <summary>
    /// Writes the new record into the staged tree, then moves the fetched package folders and the record into the
    /// target and the removed package folders out of it, in one journaled commit under the target's lock.
    /// </summary>
    /// <param name="staging">The staged tree, holding every fetched package.</param>
    /// <param name="manifestFrameSize">The length of the bundle's manifest frame, when the manifest was read from the bundle.</param>
    /// <param name="cancellationToken">Stops waiting for the target's lock.</param>
    public void Commit(TreeStaging staging, long? manifestFrameSize, CancellationToken cancellationToken)
    {
        var plan = Plan ?? throw new InvalidOperationException("Decide comes before Commit.");
        var packages = new List<RecordedPackage>(plan.Kept.Select(p => _recorded[p.Folder]));
        packages.AddRange(plan.Fetch.Select(p => Describe(staging.Root, p)));
        var placedOrRemoved = plan.Selected.Select(p => p.Folder).Concat(plan.Removed).ToHashSet(StringComparer.Ordinal);
        packages.AddRange(_recorded.Values.Where(p => !placedOrRemoved.Contains(p.Folder)));
        LoadRecord.Create(manifestFrameSize, packages).Write(staging.Root);
        staging.Commit([.. plan.Fetch.Select(p => p.Folder), LoadRecord.FolderName], plan.Removed, cancellationToken);
    }

    /// <summary>Moves every kept package whose local copy no longer matches the record to the packages fetched, saying why.</summary>
    private UpdatePlan CheckLocalCopies(UpdatePlan plan, CancellationToken cancellationToken)
    {
        var problems = new string?[plan.Kept.Count];
        Parallel.For(
            0,
            plan.Kept.Count,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            i =>
            {
                try
                {
                    problems[i] = LocalPackageCheck.Problem(_target, _recorded[plan.Kept[i].Folder], _options.VerifyLocal, cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    problems[i] = $"cannot be read ({ex.Message})";
                }
            });

        var stale = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < problems.Length; i++)
        {
            if (problems[i] is { } problem)
            {
                var folder = plan.Kept[i].Folder;
                stale.Add(folder);
                _metrics.Warn($"{folder} in '{_target}': {problem}; it is fetched again.");
            }
        }

        if (stale.Count == 0)
        {
            return plan;
        }

        var kept = plan.Kept.Where(p => !stale.Contains(p.Folder)).Select(p => p.Folder).ToHashSet(StringComparer.Ordinal);
        return plan with
        {
            Fetch = [.. plan.Selected.Where(p => !kept.Contains(p.Folder))],
            Kept = [.. plan.Kept.Where(p => kept.Contains(p.Folder))],
        };
    }

    private static RecordedPackage Describe(string stagingRoot, PackageEntry package)
    {
        var folder = EntryPath.Combine(stagingRoot, package.Folder);
        return new RecordedPackage
        {
            Id = package.Id,
            Version = package.Version,
            Files = [.. package.Files.Select(f => LocalPackageCheck.Describe(EntryPath.Combine(folder, f.Path), f))],
        };
    }
}
