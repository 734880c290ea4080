using System.Buffers.Binary;
using Bundler.Loader;
using Bundler.Loader.Format;

namespace Bundler.Core.Publishing;

/// <summary>Which local folders a publish may write to: new or empty ones, and ones an earlier publish wrote.</summary>
internal static class PublishFolderCheck
{
    public static void CheckPublishable(string target, string directory)
    {
        if (File.Exists(target))
        {
            throw new BundleException($"The publish folder '{directory}' is a file; give a folder.");
        }

        var folder = new DirectoryInfo(target);
        if (folder.LinkTarget is { } linkTarget)
        {
            throw new BundleException($"The publish folder '{directory}' is a symbolic link (to '{linkTarget}'); give the folder it points to, so that it is clear which folder is written.");
        }

        if (folder.Exists && folder.EnumerateFileSystemInfos().Any() && !IsEarlierPublish(folder))
        {
            throw new BundleException($"'{directory}' is not empty and is not a publish folder (it has no {PublishLayout.MarkerFileName}, so pack --publish did not write it); nothing was changed. Choose a new or empty folder, so that nothing of yours is replaced.");
        }
    }

    /// <summary>Removes the folders under <paramref name="root"/> that hold nothing (left by removed objects).</summary>
    public static void RemoveEmptyFolders(string root)
    {
        foreach (var folder in new DirectoryInfo(root).EnumerateDirectories("*", SearchOption.AllDirectories).OrderByDescending(d => d.FullName.Length).ToList())
        {
            if (folder.LinkTarget is null && !folder.EnumerateFileSystemInfos().Any())
            {
                folder.Delete();
            }
        }
    }

    /// <summary>
    /// A folder a publish wrote: it has the marker, or (written before the marker existed) it holds exactly the
    /// bundle, its manifest and <c>files/</c>, and the bundle starts as a bundle does.
    /// </summary>
    private static bool IsEarlierPublish(DirectoryInfo folder)
    {
        if (File.Exists(Path.Combine(folder.FullName, PublishLayout.MarkerFileName)))
        {
            return true;
        }

        string[] layout = [PublishLayout.BundleFileName, PublishLayout.ManifestFileName, PublishLayout.FilesFolder];
        var names = folder.EnumerateFileSystemInfos().Select(e => e.Name).Order(StringComparer.Ordinal).ToList();
        if (!names.SequenceEqual(layout.Order(StringComparer.Ordinal))
            || !Directory.Exists(Path.Combine(folder.FullName, PublishLayout.FilesFolder))
            || !File.Exists(Path.Combine(folder.FullName, PublishLayout.BundleFileName)))
        {
            return false;
        }

        Span<byte> head = stackalloc byte[BundleFormat.SkippableFrameHeaderSize + BundleFormat.ManifestMagic.Length];
        using var bundle = new FileStream(Path.Combine(folder.FullName, PublishLayout.BundleFileName), FileMode.Open, FileAccess.Read);
        return bundle.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length
            && BinaryPrimitives.ReadUInt32LittleEndian(head) == BundleFormat.SkippableFrameMagic
            && head[BundleFormat.SkippableFrameHeaderSize..].SequenceEqual(BundleFormat.ManifestMagic);
    }
}
