using Bundler.Core.Publishing;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Loader.Trust;

namespace Bundler.Testing.Loading;

/// <summary>
/// Publish folders in the names written before <c>index.json</c> existed (<c>packages.tar.zst</c>, <c>manifest.json</c>,
/// <c>files/&lt;archive name&gt;</c>, <c>.sig</c> beside each manifest), which loaders still read: made by the real
/// writer, then renamed. Tests that tamper with particular files of a publish use them.
/// </summary>
public static class LegacyPublishFolder
{
    public static async Task<PublishResult> WriteAsync(IEnumerable<PackageInput> packages, string directory, BundleWriterOptions? options = null)
    {
        var result = await PublishFolderWriter.WriteAsync(packages, directory, options);
        var folder = result.Location;
        var index = PublishFolder.Index(folder);
        foreach (var package in result.Bundle.Manifest.Packages)
        {
            var from = Path.Combine(folder, PublishLayout.ArchivePath(package));
            if (File.Exists(from))
            {
                File.Move(from, Path.Combine(folder, PublishLayout.LegacyArchivePath(package)));
            }
        }

        File.Move(Path.Combine(folder, index.Bundle), Path.Combine(folder, PublishLayout.BundleFileName));
        File.Move(Path.Combine(folder, index.Manifest), Path.Combine(folder, PublishLayout.ManifestFileName));
        string? signature = null;
        if (index.Signature is not null)
        {
            signature = Path.Combine(folder, PublishLayout.BundleFileName + ManifestSignatureFile.Extension);
            File.Copy(Path.Combine(folder, index.Signature), signature);
            File.Move(Path.Combine(folder, index.Signature), Path.Combine(folder, PublishLayout.ManifestFileName + ManifestSignatureFile.Extension));
        }

        File.Delete(Path.Combine(folder, PublishLayout.IndexFileName));
        foreach (var objects in new[] { PublishLayout.BundlesFolder, PublishLayout.ManifestsFolder, PublishLayout.SignaturesFolder })
        {
            if (Directory.Exists(Path.Combine(folder, objects)))
            {
                Directory.Delete(Path.Combine(folder, objects), recursive: true);
            }
        }

        foreach (var digest in Directory.GetDirectories(Path.Combine(folder, PublishLayout.FilesFolder)))
        {
            Directory.Delete(digest);
        }

        return result with { Bundle = result.Bundle with { Path = Path.Combine(folder, PublishLayout.BundleFileName), SignaturePath = signature } };
    }
}
