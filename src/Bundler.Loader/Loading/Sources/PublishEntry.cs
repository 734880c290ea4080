using Bundler.Loader.Format;
using Bundler.Loader.Trust;

namespace Bundler.Loader.Loading.Sources;

/// <summary>
/// What a load fetches from its source, as the entry point names it: the bundle, the manifest JSON, the signature
/// file and each package's archive. Read once per load, before anything else, so that every later request goes to
/// immutable objects of one and the same publish.
/// </summary>
internal sealed class PublishEntry
{
    private readonly string? _signatureName;
    private readonly bool _legacy;

    private PublishEntry(string bundleName, string manifestName, string? signatureName, bool legacy)
    {
        BundleName = bundleName;
        ManifestName = manifestName;
        _signatureName = signatureName;
        _legacy = legacy;
    }

    public string BundleName { get; }

    public string ManifestName { get; }

    /// <summary>The signature file of the bundle's manifest, or null when the entry point names none.</summary>
    public string? BundleSignatureName => _legacy ? BundleName + ManifestSignatureFile.Extension : _signatureName;

    /// <summary>The signature file of the manifest JSON (the same signatures as <see cref="BundleSignatureName"/>).</summary>
    public string? ManifestSignatureName => _legacy ? ManifestName + ManifestSignatureFile.Extension : _signatureName;

    public string ArchivePath(PackageEntry package) => _legacy ? PublishLayout.LegacyArchivePath(package) : PublishLayout.ArchivePath(package);

    /// <summary>
    /// The entry of <paramref name="source"/>: a bundle it names directly; the index it names; or, for a folder, its
    /// <c>index.json</c>, and the legacy names when the folder has none (written before the index existed).
    /// </summary>
    public static async Task<PublishEntry> ReadAsync(LoadSource source, CancellationToken cancellationToken)
    {
        if (source.LocationFile is { } file && file.EndsWith(".tar.zst", StringComparison.OrdinalIgnoreCase))
        {
            return new PublishEntry(file, PublishLayout.ManifestFileName, null, legacy: true);
        }

        var indexName = source.LocationFile ?? PublishLayout.IndexFileName;
        var where = source.Describe(indexName);
        await using var stream = source.LocationFile is null
            ? await source.OpenIfExistsAsync(indexName, cancellationToken)
            : await source.OpenAsync(indexName, cancellationToken);
        if (stream is null)
        {
            return new PublishEntry(PublishLayout.BundleFileName, PublishLayout.ManifestFileName, null, legacy: true);
        }

        var buffer = new byte[PublishIndex.MaxSize + 1];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        try
        {
            var index = PublishIndex.Parse(buffer.AsSpan(0, read));
            return new PublishEntry(index.Bundle, index.Manifest, index.Signature, legacy: false);
        }
        catch (BundleException ex)
        {
            throw new BundleException($"{where}: {ex.Message}. Publish again with 'pack --publish'.", ex);
        }
    }
}
