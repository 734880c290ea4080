namespace Bundler.Core.IO;

/// <summary>
/// A file written under a temporary name beside its destination and renamed over it only by <see cref="Commit"/>;
/// disposing without committing deletes the temporary file, so the previous file stays as it was.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private readonly string _destination;
    private readonly string _temporary;
    private bool _committed;

    public AtomicFile(string destination)
    {
        _destination = Path.GetFullPath(destination);
        var directory = Path.GetDirectoryName(_destination)!;
        Directory.CreateDirectory(directory);
        _temporary = Path.Combine(directory, $".{Path.GetFileName(_destination)}.{Guid.NewGuid():N}.tmp");
        Stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
    }

    public FileStream Stream { get; }

    public string Destination => _destination;

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>, which changes only once the copy is whole.</summary>
    public static async Task CopyAsync(string source, string destination, CancellationToken cancellationToken)
    {
        using var file = new AtomicFile(destination);
        await using (var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            await from.CopyToAsync(file.Stream, cancellationToken);
        }

        file.Commit();
    }

    public void Commit()
    {
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        File.Move(_temporary, _destination, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed)
        {
            File.Delete(_temporary);
        }
    }
}
