using Bundler.Core.IO;
using Bundler.Loader;
using Bundler.Loader.Format;

namespace Bundler.Core.Publishing;

/// <summary>
/// A publish location on a local disk, for any static host or CDN to serve. Each file is written under a temporary
/// name and renamed into place. Only a new or empty folder, or one an earlier <c>pack --publish</c> wrote, is
/// published to; <see cref="FinishAsync"/> then removes what neither the new nor the previous entry point names,
/// including the names of folders written before the entry point existed.
/// </summary>
public sealed class FolderPublishStore : IPublishStore
{
    private const string MarkerText = "Written by Bundler's pack --publish. Each publish to this folder removes what neither it nor the publish before it uses.\n";

    private readonly string _given;

    public FolderPublishStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _given = directory;
        Root = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
    }

    /// <summary>Full path of the folder.</summary>
    public string Root { get; }

    public string Describe(string name) => name.Length == 0 ? Root : Path.Combine(Root, name.Replace('/', Path.DirectorySeparatorChar));

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        PublishFolderCheck.CheckPublishable(Root, _given);
        Directory.CreateDirectory(Root);
        var marker = Path.Combine(Root, PublishLayout.MarkerFileName);
        if (!File.Exists(marker))
        {
            await File.WriteAllTextAsync(marker, MarkerText, cancellationToken);
        }
    }

    public Task<bool> HasAsync(string name, long size, CancellationToken cancellationToken)
    {
        var file = new FileInfo(FullPath(name));
        return Task.FromResult(file.Exists && file.LinkTarget is null && file.Length == size);
    }

    public Task PutFileAsync(string name, string path, string cacheControl, CancellationToken cancellationToken) =>
        AtomicFile.CopyAsync(path, FullPath(name), cancellationToken);

    public async Task PutBytesAsync(string name, byte[] content, string cacheControl, CancellationToken cancellationToken)
    {
        using var file = new AtomicFile(FullPath(name));
        await file.Stream.WriteAsync(content, cancellationToken);
        file.Commit();
    }

    public async Task<byte[]?> ReadAsync(string name, int maxSize, CancellationToken cancellationToken)
    {
        var file = new FileInfo(FullPath(name));
        return file.Exists && file.LinkTarget is null && file.Length <= maxSize ? await File.ReadAllBytesAsync(file.FullName, cancellationToken) : null;
    }

    public Task FinishAsync(IReadOnlySet<string> current, IReadOnlySet<string> previous, CancellationToken cancellationToken)
    {
        string[] kept = [PublishLayout.MarkerFileName, PublishLayout.IndexFileName, PublishLayout.IntegrityFileName];
        foreach (var entry in new DirectoryInfo(Root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).ToList())
        {
            var name = Path.GetRelativePath(Root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (entry is FileInfo && !entry.Name.StartsWith('.') && !kept.Contains(name) && !current.Contains(name) && !previous.Contains(name))
            {
                entry.Delete();
            }
        }

        PublishFolderCheck.RemoveEmptyFolders(Root);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
    }

    private string FullPath(string name)
    {
        if (EntryPath.Problem(name) is { } problem)
        {
            throw new BundleException($"'{name}' cannot be written in the publish folder '{_given}': {problem}.");
        }

        return EntryPath.Combine(Root, name);
    }
}
