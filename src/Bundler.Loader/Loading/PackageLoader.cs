using Bundler.Loader.Format;
using Bundler.Loader.Loading.Modes;
using Bundler.Loader.Loading.Sources;

namespace Bundler.Loader.Loading;

/// <summary>
/// Loads packages from a publish folder (written by <c>pack --publish</c>) into <c>target/&lt;id&gt;/&lt;version&gt;/</c>,
/// over HTTP(S) or from a local path, in one of three modes that all give the same tree (<see cref="LoadMode"/>).
/// Every file is verified against the manifest; the tree is staged beside the target and moved into place only when
/// complete, so a failed or cancelled load leaves the target as it was.
/// </summary>
/// <example>
/// <code>
/// var report = await PackageLoader.LoadAsync("https://cdn.example.com/app/packages/", "packages", new PackageLoadOptions { Mode = LoadMode.Bundle });
/// Console.WriteLine(report.ToSummary());
/// </code>
/// </example>
public static class PackageLoader
{
    /// <summary>Loads the packages of <paramref name="location"/> into <paramref name="targetDirectory"/>.</summary>
    /// <param name="location">
    /// A publish folder (an http(s) URL or a local path) holding <c>packages.tar.zst</c>, <c>manifest.json</c> and
    /// <c>files/</c>; or the URL or path of a <c>.tar.zst</c> bundle, whose folder is then the publish folder.
    /// </param>
    /// <param name="targetDirectory">The folder to load into; packages already there stay, a package of the same id and version is replaced.</param>
    /// <param name="options">Mode, subset, HTTP client, concurrency and limits.</param>
    /// <param name="cancellationToken">Stops the load; nothing is left behind.</param>
    /// <returns>Where the time and bytes went.</returns>
    public static async Task<LoadReport> LoadAsync(string location, string targetDirectory, PackageLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        ArgumentException.ThrowIfNullOrEmpty(targetDirectory);
        options ??= new PackageLoadOptions();
        options.Validate();
        var trust = options.CreateTrust();

        var target = Path.GetFullPath(targetDirectory);
        var metrics = new LoadMetrics();
        using var source = LoadSource.Create(location, options, metrics);
        var mode = options.Mode;
        IReadOnlyList<PackageEntry> packages;
        switch (mode)
        {
            case LoadMode.Bundle:
                packages = await BundleModeLoader.LoadAsync(source, target, options, trust, cancellationToken);
                break;
            case LoadMode.Files:
                packages = await FilesModeLoader.LoadAsync(source, target, options, trust, cancellationToken);
                break;
            case LoadMode.Ranges:
                (packages, mode) = await RangesModeLoader.LoadAsync(source, target, options, trust, cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "Unknown load mode.");
        }

        return metrics.Report(mode, location, target, packages, source.CountsConnections);
    }
}
