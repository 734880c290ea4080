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
    private const int UnixTypeMask = 0xF000;
    private const int UnixRegular = 0x8000;
    private const int UnixDirectory = 0x4000;
    private const int UnixSymlink = 0xA000;
    private const int AnyExecuteBits = 0x49; // 0111

    private readonly IArchive _zip;
    private readonly ZipEntryStreams _streams;
    private readonly ExpansionBudget _budget;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);

    public ZipSourceArchive(PackageInput package, BundleLimits limits) : base(package, limits)
    {
        try
        {
            _zip = ArchiveFactory.OpenArchive(package.ArchivePath);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new BundleException($"The archive '{package.ArchivePath}' of {package.Id} {package.Version} is not a readable zip file: {ex.Message}", ex);
        }

        try
        {
            _streams = new ZipEntryStreams(package.ArchivePath);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _zip.Dispose();
            throw new BundleException($"The archive '{package.ArchivePath}' of {package.Id} {package.Version} is not a zip this can read safely: {ex.Message}. Nothing was written.", ex);
        }

        _budget = new ExpansionBudget(Describe(package), ArchiveSize, limits);
    }

    public override IReadOnlyList<SourceEntry> ListFiles()
    {
        if (_streams.FindOverlap() is var (overlapping, overlapped))
        {
            throw EntryError(overlapping, $"overlaps the bytes of '{overlapped}' (a zip bomb made of overlapping entries)");
        }

        var files = new List<SourceEntry>();
        IEnumerable<IArchiveEntry> entries;
        try
        {
            entries = _zip.Entries.ToList();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not BundleException)
        {
            throw new BundleException($"The archive '{Package.ArchivePath}' of {Package.Id} {Package.Version} has an unreadable zip directory: {ex.Message}", ex);
        }

        foreach (var entry in entries.Cast<ZipArchiveEntry>())
        {
            var unixMode = (entry.Attrib ?? 0) >>> 16;
            var type = unixMode & UnixTypeMask;
            if (entry.IsDirectory || type == UnixDirectory)
            {
                continue;
            }

            var path = NormalizePath(entry.Key ?? "");
            if (entry.IsEncrypted)
            {
                throw EntryError(path, "is encrypted");
            }

            if (type == UnixSymlink)
            {
                SkipLink(path, ReadLinkTarget(entry), "symbolic link", targetIsFromRoot: false);
                continue;
            }

            if (type != 0 && type != UnixRegular)
            {
                throw EntryError(path, $"is a special file (unix type 0{Convert.ToString(type >> 12, 8)}); only regular files can be bundled");
            }

            CheckDeclaredSize(path, entry.Size, entry.CompressedSize);
            if (!_entries.TryAdd(path, entry))
            {
                throw new BundleException($"The archive '{Package.ArchivePath}' of {Package.Id} {Package.Version} has colliding entries: '{path}' appears twice. Nothing was written.");
            }

            var mode = (unixMode & AnyExecuteBits) != 0 ? BundleFormat.ExecutableFileMode : BundleFormat.RegularFileMode;
            files.Add(new SourceEntry(path, entry.Size, mode, path));
        }

        return files;
    }

    public override Stream OpenFile(SourceEntry entry)
    {
        var zipEntry = _entries[entry.Key];
        // The central record's CRC: SharpCompress's entry takes the local header's once its stream is opened.
        var expectedCrc = (uint)zipEntry.Crc;
        Stream stream;
        try
        {
            stream = _streams.Open(zipEntry);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw EntryError(entry.Path, $"cannot be opened ({ex.Message})");
        }

        return new DeclaredSizeEntryStream(new Crc32CheckedStream(stream, expectedCrc), entry.Size, _budget, problem => EntryError(entry.Path, problem));
    }

    public override void Dispose()
    {
        _streams.Dispose();
        _zip.Dispose();
        base.Dispose();
    }

    private void CheckDeclaredSize(string path, long size, long compressedSize)
    {
        if (size < 0 || size > Limits.MaxFileSize)
        {
            throw EntryError(path, $"declares {size} bytes; files may have at most {Limits.MaxFileSize} (BundleLimits.MaxFileSize)");
        }

        if (size > Limits.CompressionRatioThreshold && size > Limits.MaxCompressionRatio * Math.Max(1, compressedSize))
        {
            throw EntryError(path, $"declares a compression ratio over {Limits.MaxCompressionRatio}:1 ({size} bytes from {compressedSize}); refusing it as a zip bomb (BundleLimits.MaxCompressionRatio)");
        }
    }

    private string ReadLinkTarget(ZipArchiveEntry entry)
    {
        if (entry.Size > ZipLinkTarget.MaxSize)
        {
            throw EntryError(entry.Key ?? "", "is a symbolic link with an implausibly long target");
        }

        var expectedCrc = (uint)entry.Crc;
        try
        {
            using var stream = new Crc32CheckedStream(_streams.Open(entry), expectedCrc);
            return ZipLinkTarget.Read(stream, entry.Size);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw EntryError(entry.Key ?? "", $"is a symbolic link, and {ex.Message}");
        }
    }
}
