namespace Bundler.Core.IO;

/// <summary>
/// A file written under a temporary name beside its destination and renamed over it only by <see cref="Commit"/>;
/// disposing without committing deletes the temporary file, so the previous file stays as it was. The temporary files of
/// a killed run (<c>.&lt;name&gt;.*.tmp</c>) are removed by the next one that writes the same destination.
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
        AbandonedTemporaries.RemoveFiles(directory, $".{Path.GetFileName(_destination)}.*.tmp");
        _temporary = NewSiblingPath("");
        Stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
    }

    /// <summary>
    /// A unique path beside the destination for another temporary file of the same write (held open without sharing
    /// while in use, so that it is removed like this one's when its run is killed).
    /// </summary>
    public string NewSiblingPath(string purpose) =>
        Path.Combine(Path.GetDirectoryName(_destination)!, $".{Path.GetFileName(_destination)}.{Guid.NewGuid():N}{(purpose.Length > 0 ? "." + purpose : "")}.tmp");

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
