using Bundler.Loader.Format;
using Bundler.Loader.IO;
using Bundler.Loader.Loading.Modes;
using Bundler.Loader.Loading.Sources;
using Bundler.Loader.Unpacking;

namespace Bundler.Loader.Loading;

/// <summary>
/// Loads a NuGet-layout bundle into a NuGet packages folder that may already hold packages, and may be in use by a
/// restore or build, so that restore finds every package there. The bundle is loaded into a hidden folder inside
/// the packages folder (same volume), then each package folder is renamed into place: each appears whole or not at
/// all. A package already installed (its <c>.nupkg.metadata</c>, which restore writes last, is there) is left as it
/// is; a folder without it, which restore itself would extract again, is replaced. Nothing else is touched. From a
/// publish folder only the missing packages are fetched (in bundle mode, their frames by range when some are there);
/// from a publish folder or a bundle file on disk, a folder that holds them all costs one read of the manifest. Each
/// run holds an owner lock on its staging, and removes the stagings of runs that were killed, whose locks are free.
/// </summary>
internal static class PackagesFolderLoader
{
    /// <summary>The hidden folder a load stages into; NuGet ids cannot start with a dot, so restore never reads it.</summary>
    private const string StagingPrefix = ".bundler-restore-";
    private const int GuidLength = 32;
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");

    public static async Task<PackagesFolderLoad> LoadAsync(string location, string packagesFolder, PackageLoadOptions options, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(packagesFolder);
        Directory.CreateDirectory(folder);
        RemoveDeadStagings(folder, cancellationToken);
        var staging = Path.Combine(folder, StagingPrefix + Guid.NewGuid().ToString("N"));
        // Taken before anything of the staging exists, so that a run that finds the staging finds its owner too.
        using var owner = ExclusiveFileLock.TryAcquire(staging + StagingLeftovers.OwnerSuffix, deleteOnRelease: true)
            ?? throw new BundleException($"The staging folder '{staging}' is in use by another process.");
        try
        {
            var added = new List<string>();
            var kept = new List<string>();

            // A publish location's manifest says what the bundle holds, so only what is missing is fetched.
            var manifest = await PublishedManifestAsync(location, options, cancellationToken);
            if (manifest is not null)
            {
                if (manifest.Packages.FirstOrDefault(p => p.Layout != NuGetLayout.Name) is { } notNuGet)
                {
                    throw NotNuGetLayout(location, notNuGet.Folder, folder);
                }

                kept.AddRange(manifest.Packages.Select(p => p.Folder).Where(p => IsInstalled(Path.Combine(folder, p))));
                if (kept.Count == manifest.Packages.Count)
                {
                    return new PackagesFolderLoad(folder, added, kept, Load: null);
                }

                options = options with
                {
                    Packages = [.. manifest.Packages.Select(p => p.Folder).Except(kept, StringComparer.Ordinal)],
                    // A bundle file on disk is read through once either way.
                    Mode = kept.Count > 0 && options.Mode == LoadMode.Bundle && !File.Exists(location) ? LoadMode.Ranges : options.Mode,
                };
            }

            var report = await PackageLoader.LoadAsync(location, staging, options, cancellationToken);
            var staged = PackageFolders(staging);
            if (staged.FirstOrDefault(p => !IsInstalled(Path.Combine(staging, p))) is { } notInstallable)
            {
                throw NotNuGetLayout(location, notInstallable, folder);
            }

            foreach (var package in staged)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var target = Path.Combine(folder, package);
                if (IsInstalled(target))
                {
                    kept.Add(package);
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (Directory.Exists(target))
                {
                    // An extraction that never finished; moved out of the way whole, and deleted with the staging folder.
                    Directory.Move(target, Path.Combine(staging, "." + added.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }

                try
                {
                    Directory.Move(Path.Combine(staging, package), target);
                    added.Add(package);
                }
                catch (IOException) when (IsInstalled(target))
                {
                    // A restore running beside this one installed it meanwhile.
                    kept.Add(package);
                }
            }

            return new PackagesFolderLoad(folder, added, kept, report);
        }
        finally
        {
            // Best effort: a leftover is hidden from restore.
            TreeStaging.Delete(staging);
        }
    }

    /// <summary>
    /// Deletes what runs that were killed left in the packages folder: each hidden staging whose owner lock nobody
    /// holds any more, with the load's own leftovers beside it. A staging a live run owns is left alone.
    /// </summary>
    private static void RemoveDeadStagings(string folder, CancellationToken cancellationToken)
    {
        var stagings = Directory.EnumerateFileSystemEntries(folder, StagingPrefix + "*")
            .Select(Path.GetFileName)
            .Where(name => name!.Length >= StagingPrefix.Length + GuidLength && !name.AsSpan(StagingPrefix.Length, GuidLength).ContainsAnyExcept(HexDigits))
            .Select(name => Path.Combine(folder, name![..(StagingPrefix.Length + GuidLength)]))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var staging in stagings)
        {
            using var owner = ExclusiveFileLock.TryAcquire(staging + StagingLeftovers.OwnerSuffix, deleteOnRelease: true);
            if (owner is not null)
            {
                TreeStaging.RecoverLeftovers(staging, cancellationToken);
                TreeStaging.Delete(staging);
            }
        }
    }

    /// <summary>
    /// The manifest of the publish folder at <paramref name="location"/>, or at the head of the bundle file it names
    /// on disk; null when there is none to read first (a bundle named by URL).
    /// </summary>
    private static async Task<Manifest?> PublishedManifestAsync(string location, PackageLoadOptions options, CancellationToken cancellationToken)
    {
        try
        {
            if (File.Exists(location))
            {
                await using var bundle = new FileStream(location, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                return (await ManifestFrame.ReadAsync(bundle, options.Limits, options.CreateTrust(), cancellationToken)).Manifest;
            }

            using var source = LoadSource.Create(location, options, new LoadMetrics());
            var entry = await PublishEntry.ReadAsync(source, cancellationToken);
            var trust = await LoadTrust.ForAsync(options.CreateTrust(), source, entry.ManifestSignatureName, entry.ManifestName, cancellationToken);
            return (await FilesModeLoader.ReadManifestAsync(source, entry.ManifestName, options.Limits, trust, cancellationToken)).Manifest;
        }
        catch (BundleException)
        {
            // Loading the bundle itself checks it again, and says what is wrong.
            return null;
        }
    }

    private static BundleException NotNuGetLayout(string location, string package, string folder) =>
        new($"The bundle at '{location}' holds {package} outside the NuGet layout (it has no {NuGetLayout.GeneratedPath(NuGetLayout.MetadataFile, "", "")}), so restore could not use it; nothing was added to '{folder}'. Pack it with --project, a nuget or project source, or --nuget-layout.");

    private static bool IsInstalled(string packageFolder) => File.Exists(Path.Combine(packageFolder, NuGetLayout.GeneratedPath(NuGetLayout.MetadataFile, "", "")));

    /// <summary>The <c>id/version</c> folders of a loaded tree, sorted; the load's own hidden record is not one.</summary>
    private static List<string> PackageFolders(string tree) => [.. Directory.EnumerateDirectories(tree)
        .Where(id => !Path.GetFileName(id).StartsWith('.'))
        .SelectMany(id => Directory.EnumerateDirectories(id).Select(version => Path.GetFileName(id) + "/" + Path.GetFileName(version)))
        .Order(StringComparer.Ordinal)];
}
