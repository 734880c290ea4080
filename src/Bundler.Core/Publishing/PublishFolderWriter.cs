using Bundler.Core.Writing;

namespace Bundler.Core.Publishing;

/// <summary>Publishes to a local folder that any static host or CDN can serve (<see cref="Publisher"/>, <see cref="FolderPublishStore"/>).</summary>
public static class PublishFolderWriter
{
    /// <summary>Publishes <paramref name="packages"/> to the folder <paramref name="directory"/>, a new or empty one or one an earlier publish wrote.</summary>
    public static async Task<PublishResult> WriteAsync(IEnumerable<PackageInput> packages, string directory, BundleWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var store = new FolderPublishStore(directory);
        return await Publisher.PublishAsync(packages, store, options, cancellationToken);
    }
}
