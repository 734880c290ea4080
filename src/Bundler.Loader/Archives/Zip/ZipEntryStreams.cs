using DeflateStream = System.IO.Compression.DeflateStream;
using CompressionMode = System.IO.Compression.CompressionMode;
using SharpCompress.Archives.Zip;
using Bundler.Loader.IO;

namespace Bundler.Loader.Archives.Zip;

/// <summary>
/// Opens the data of a zip's stored and deflated entries straight from the file, inflated by the runtime's native
/// zlib (about three times as fast as the managed inflater). Only an entry the zip library would read the same way
/// takes that path: a name decoded alike by both and recorded once, no encryption, and a local header that agrees with
/// the central record on method and sizes, data inside the file. Any other entry is opened by the zip library. The
/// entries themselves are always the zip library's, so the loader selects exactly the files the writer saw; what comes
/// out is held to the manifest's size and sha256 either way.
/// </summary>
internal sealed class ZipEntryStreams : IDisposable
{
    /// <summary>The inflater asks for 8 KiB at a time; reading the file in larger pieces saves most of the system calls.</summary>
    private const int InflateReadSize = 1 << 16;

    private readonly FileStream _file;
    private readonly List<ZipCentralEntry>? _directory;
    private readonly Dictionary<string, ZipCentralEntry?> _records = new(StringComparer.Ordinal);

    /// <exception cref="InvalidDataException">The zip's end record contradicts itself (see <see cref="ZipCentralDirectory"/>).</exception>
    public ZipEntryStreams(string archivePath)
    {
        _file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        try
        {
            _directory = ZipCentralDirectory.Read(_file);
            foreach (var record in _directory ?? [])
            {
                // A name recorded twice, or one a zip library may decode differently, is matched to no record.
                _records[record.Name] = _records.ContainsKey(record.Name) || !record.NameIsPortable ? null : record;
            }
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>The names of the first two entries whose bytes overlap (<see cref="ZipOverlapCheck"/>), or null; a directory that could not be parsed is left to the zip library.</summary>
    public (string Entry, string Overlapped)? FindOverlap() => _directory is null ? null : ZipOverlapCheck.Find(_file, _directory);

    public Stream Open(ZipArchiveEntry entry)
    {
        if (entry.Key is { } key
            && _records.GetValueOrDefault(key) is { } record
            && record.Method is ZipCentralEntry.Stored or ZipCentralEntry.Deflated
            && !ZipCentralEntry.IsEncrypted(record.Flags) && !entry.IsEncrypted
            && record.CompressedSize == entry.CompressedSize && record.UncompressedSize == entry.Size
            && ZipCentralDirectory.ReadLocalHeader(_file, record) is { } local
            && local.Method == record.Method && !ZipCentralEntry.IsEncrypted(local.Flags)
            && local.CompressedSize == record.CompressedSize && local.UncompressedSize == record.UncompressedSize
            && record.CompressedSize >= 0 && record.CompressedSize <= _file.Length - local.DataStart)
        {
            var data = new FileSliceStream(_file.SafeFileHandle, local.DataStart, record.CompressedSize);
            return record.Method == ZipCentralEntry.Stored ? data : new DeflateStream(new BufferedStream(data, InflateReadSize), CompressionMode.Decompress);
        }

        return entry.OpenEntryStream();
    }

    public void Dispose() => _file.Dispose();
}
