using NuGet.Packaging;
using Bundler.Loader;

namespace Bundler.Core.Writing;

/// <summary>
/// NuGet's content hash of a signed .nupkg: the sha512 of the package as it was before it was signed (without
/// <c>.signature.p7s</c>), which restore writes to <c>.nupkg.metadata</c> and packages.lock.json records, and holds an
/// installed package to in locked mode. An unsigned package's content hash is the sha512 of its file.
/// </summary>
internal static class NuGetContentHash
{
    /// <summary>The content hash as SRI (<c>sha512-…</c>) when the package is signed; null when it is not.</summary>
    public static async Task<string?> OfSignedAsync(string nupkgPath, CancellationToken cancellationToken)
    {
        try
        {
            using var reader = new PackageArchiveReader(nupkgPath);
            return await reader.IsSignedAsync(cancellationToken) ? "sha512-" + reader.GetContentHash(cancellationToken) : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new BundleException($"The archive '{nupkgPath}' cannot be read as a NuGet package ({ex.Message}); nothing was written.", ex);
        }
    }
}
