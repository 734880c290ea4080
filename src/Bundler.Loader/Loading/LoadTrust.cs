using Bundler.Loader.Loading.Sources;
using Bundler.Loader.Trust;

namespace Bundler.Loader.Loading;

/// <summary>Reads the signature file beside a manifest from the load's source when the trust needs one, before the manifest itself is fetched.</summary>
internal static class LoadTrust
{
    public static async Task<ManifestTrust?> ForAsync(ManifestTrust? trust, LoadSource source, string manifestName, CancellationToken cancellationToken)
    {
        if (trust is not { NeedsSignature: true })
        {
            return trust;
        }

        var name = manifestName + ManifestSignatureFile.Extension;
        return await trust.WithSignatureAsync(token => source.OpenAsync(name, token), source.Describe(name), name, cancellationToken);
    }
}
