using Bundler.Loader.Format;
using Bundler.Loader.Loading.Sources;
using Bundler.Loader.Trust;

namespace Bundler.Loader.Loading;

/// <summary>Reads the signature file the entry point names from the load's source when the trust needs one, before the manifest itself is fetched.</summary>
internal static class LoadTrust
{
    public static async Task<ManifestTrust?> ForAsync(ManifestTrust? trust, LoadSource source, string? signatureName, string manifestName, CancellationToken cancellationToken)
    {
        if (trust is not { NeedsSignature: true })
        {
            return trust;
        }

        if (signatureName is not { } name)
        {
            throw new BundleException($"Only bundles signed by a trusted key are accepted, and {source.Describe(PublishLayout.IndexFileName)} names no signature for {source.Describe(manifestName)}. Sign the bundle with 'pack --sign-key' and publish it again. Nothing was written.");
        }

        return await trust.WithSignatureAsync(token => source.OpenAsync(name, token), source.Describe(name), name, cancellationToken);
    }
}
