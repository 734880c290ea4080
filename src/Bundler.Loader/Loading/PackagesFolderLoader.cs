using Bundler.Loader.Format;

namespace Bundler.Loader.Loading;

/// <summary>
/// Loads a NuGet-layout bundle into a NuGet packages folder that may already hold packages, and may be in use by a
/// restore or build, so that restore finds every package there. The bundle is loaded into a hidden folder inside
/// the packages folder (same volume), then each package folder is renamed into place: each appears whole or not at
/// all. A package already installed (its <c>.nupkg.metadata</c>, which restore writes last, is there) is left as it
/// is; a folder without it, which restore itself would extract again, is replaced. Nothing else is touched.
/// </summary>
internal static class PackagesFolderLoader
{
    /// <summary>The hidden folder a load stages into; NuGet ids cannot start with a dot, so restore never reads it.</summary>
    private const string StagingPrefix = ".bundler-restore-";

    public static async Task<PackagesFolderLoad> LoadAsync(string location, string packagesFolder, PackageLoadOptions options, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(packagesFolder);
        Directory.CreateDirectory(folder);
        var staging = Path.Combine(folder, StagingPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            var report = await PackageLoader.LoadAsync(location, staging, options, cancellationToken);
            var staged = PackageFolders(staging);
            var notNuGet = staged.FirstOrDefault(p => !IsInstalled(Path.Combine(staging, p)));
            if (notNuGet is not null)
            {
                throw new BundleException($"The bundle at '{location}' holds {notNuGet} outside the NuGet layout (it has no {NuGetLayout.GeneratedPath(NuGetLayout.MetadataFile, "", "")}), so restore could not use it; nothing was added to '{folder}'. Pack it with --project, a nuget or project source, or --nuget-layout.");
            }

            var added = new List<string>();
            var kept = new List<string>();
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
            try
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Hidden from restore; a later load can be given the folder again.
            }
        }
    }

    private static bool IsInstalled(string packageFolder) => File.Exists(Path.Combine(packageFolder, NuGetLayout.GeneratedPath(NuGetLayout.MetadataFile, "", "")));

    /// <summary>The <c>id/version</c> folders of a loaded tree, sorted; the load's own hidden record is not one.</summary>
    private static List<string> PackageFolders(string tree) => [.. Directory.EnumerateDirectories(tree)
        .Where(id => !Path.GetFileName(id).StartsWith('.'))
        .SelectMany(id => Directory.EnumerateDirectories(id).Select(version => Path.GetFileName(id) + "/" + Path.GetFileName(version)))
        .Order(StringComparer.Ordinal)];
}
