using Bundler.Loader.Loading.Modes;
using Bundler.Loader.Loading.Sources;
using Bundler.Loader.Loading.Updates;

namespace Bundler.Loader.Loading;

/// <summary>
/// Loads packages from a publish folder (written by <c>pack --publish</c>) into <c>target/&lt;id&gt;/&lt;version&gt;/</c>,
/// over HTTP(S) or from a local path, in one of three modes that all give the same tree (<see cref="LoadMode"/>).
/// Every file is verified against the manifest; the tree is staged beside the target and moved into place only when
/// complete, so a failed or cancelled load leaves the target as it was. A target an earlier load wrote is updated:
/// only the packages whose content changed are fetched, unchanged ones are kept, and ones no longer in the bundle are
/// removed (docs/loading.md, "Updates").
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
    /// A publish location (an http(s) URL of the prefix, or a local folder) holding <c>index.json</c> and the objects it
    /// names; the URL or path of its <c>index.json</c> (a pre-signed URL, say); or the URL or path of a <c>.tar.zst</c> bundle.
    /// </param>
    /// <param name="targetDirectory">
    /// The folder to load into; packages already there stay, a package of the same id and version is replaced unless
    /// the previous load recorded it with the same content, and a package the previous load placed that the bundle no
    /// longer holds is removed.
    /// </param>
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
        var update = LoadUpdate.Begin(target, options, metrics, cancellationToken);
        using var source = LoadSource.Create(location, options, metrics);
        var entry = await PublishEntry.ReadAsync(source, cancellationToken);
        var mode = options.Mode;
        switch (mode)
        {
            case LoadMode.Bundle when update.HasRecord:
                // An update needs only the changed packages' frames: asked for by range, or streamed past where ranges are refused.
                await RangesModeLoader.LoadAsync(source, entry, target, options, trust, update, cancellationToken);
                break;
            case LoadMode.Bundle:
                await BundleModeLoader.LoadAsync(source, entry, target, options, trust, update, cancellationToken);
                break;
            case LoadMode.Files:
                await FilesModeLoader.LoadAsync(source, entry, target, options, trust, update, cancellationToken);
                break;
            case LoadMode.Ranges:
                mode = await RangesModeLoader.LoadAsync(source, entry, target, options, trust, update, cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "Unknown load mode.");
        }

        return metrics.Report(mode, location, target, update.Plan!, update.FullLoadBytes, source.CountsConnections);
    }
}
