using SharpCompress.Archives;
using SharpCompress.Archives.Zip;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Archives;
using Bundler.Loader.Archives.Zip;
using Bundler.Loader.Format;

namespace Bundler.Core.Archives;

/// <summary>
/// A .zip, .nupkg or .whl read with SharpCompress's random-access zip reader; stored and deflated entries it would read
/// alike are read straight from the file and inflated by the runtime's zlib (<see cref="ZipEntryStreams"/>).
/// </summary>
internal sealed class ZipSourceArchive : SourceArchive
{
    private readonly IArchive _zip;
    private readonly ZipEntryStreams _streams;
    private readonly ExpansionBudget _budget;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);

    public ZipSourceArchive(PackageInput package, BundleLimits limits) : base(package, limits)
    {
        try
        {
            _zip = ZipArchiveFile.Open(package.ArchivePath);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new BundleException($"{Describe(package)} is not a readable zip file: {ex.Message}", ex);
        }

        try
        {
            _streams = new ZipEntryStreams(package.ArchivePath);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _zip.Dispose();
            throw new BundleException($"{Describe(package)} is not a zip this can read safely: {ex.Message}. Nothing was written.", ex);
        }

        _budget = Rules.Budget(ArchiveSize);
    }

    public override IReadOnlyList<SourceEntry> ListFiles()
    {
        Rules.CheckNoOverlap(_streams);
        var files = new List<SourceEntry>();
        IEnumerable<IArchiveEntry> entries;
        try
        {
            entries = _zip.Entries.ToList();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not BundleException)
        {
            throw new BundleException($"{Describe(Package)} has an unreadable zip directory: {ex.Message}", ex);
        }

        foreach (var entry in entries.Cast<ZipArchiveEntry>())
        {
            if (Rules.ZipEntryFile(entry, OpenCrcChecked, refuseEncrypted: true) is var (path, mode))
            {
                _entries[path] = entry;
                files.Add(new SourceEntry(path, entry.Size, mode, path));
            }
        }

        return files;
    }

    public override Stream OpenFile(SourceEntry entry)
    {
        var zipEntry = _entries[entry.Key];
        Stream stream;
        try
        {
            stream = OpenCrcChecked(zipEntry);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw Rules.EntryError(entry.Path, $"cannot be opened ({ex.Message})");
        }

        return Bounded(stream, entry.Size, _budget, problem => Rules.EntryError(entry.Path, problem));
    }

    public override void Dispose()
    {
        _streams.Dispose();
        _zip.Dispose();
        base.Dispose();
    }

    private Crc32CheckedStream OpenCrcChecked(ZipArchiveEntry entry)
    {
        // The central record's CRC: SharpCompress's entry takes the local header's once its stream is opened.
        var expectedCrc = (uint)entry.Crc;
        return new Crc32CheckedStream(_streams.Open(entry), expectedCrc);
    }
}
