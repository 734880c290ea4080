using System.Formats.Tar;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Archives;
using Bundler.Loader.Format;
using Bundler.Loader.IO;

namespace Bundler.Core.Archives;

/// <summary>
/// A tar archive, plain or gzip/xz/bzip2/zstd-compressed. The outer compression is undone once (SharpCompress's
/// decompressors) into a scratch file, which gives random access to the entries so that they can be bundled in
/// sorted order; the tar layer is read with System.Formats.Tar, which reports every entry type exactly.
/// </summary>
internal sealed class TarSourceArchive : SourceArchive
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly FileStream _tar;
    private readonly ExpansionBudget _budget;

    private TarSourceArchive(PackageInput package, BundleLimits limits, FileStream tar, ExpansionBudget budget) : base(package, limits)
    {
        _tar = tar;
        _budget = budget;
    }

    public static TarSourceArchive Open(PackageInput package, BundleLimits limits, ArchiveFormat format, string scratchDirectory)
    {
        var archiveSize = SizeOf(package.ArchivePath);
        var budget = new ExpansionBudget(Describe(package), archiveSize, limits);
        if (format == ArchiveFormat.Tar)
        {
            return new TarSourceArchive(package, limits, new FileStream(package.ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess), budget);
        }

        var scratch = new FileStream(
            Path.Combine(scratchDirectory, Guid.NewGuid().ToString("N") + ".tar"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        try
        {
            // The decompressed tar is charged to a budget of its own: the bytes of its entries are charged again when read.
            Decompress(package, format, scratch, new ExpansionBudget(Describe(package), archiveSize, limits));
            return new TarSourceArchive(package, limits, scratch, budget);
        }
        catch
        {
            scratch.Dispose();
            throw;
        }
    }

    public override IReadOnlyList<SourceEntry> ListFiles()
    {
        var files = new List<SourceEntry>();
        _tar.Position = 0;
        using var reader = new TarReader(_tar, leaveOpen: true);
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = reader.GetNextEntry(copyData: false);
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
            {
                throw new BundleException($"The archive '{Package.ArchivePath}' of {Package.Id} {Package.Version} is not a valid tar file near offset {_tar.Position}: {ex.Message}", ex);
            }

            if (entry is null)
            {
                return files;
            }

            switch (entry.EntryType)
            {
                case TarEntryType.Directory or TarEntryType.GlobalExtendedAttributes:
                    continue;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    var path = NormalizePath(entry.Name);
                    if (entry.Length > Limits.MaxFileSize)
                    {
                        throw EntryError(path, $"declares {entry.Length} bytes; files may have at most {Limits.MaxFileSize} (BundleLimits.MaxFileSize)");
                    }

                    var mode = (entry.Mode & AnyExecute) != 0 ? BundleFormat.ExecutableFileMode : BundleFormat.RegularFileMode;
                    files.Add(new SourceEntry(path, entry.Length, mode, entry.DataOffset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case TarEntryType.SymbolicLink:
                    SkipLink(NormalizePath(entry.Name), entry.LinkName, "symbolic link", targetIsFromRoot: false);
                    break;
                case TarEntryType.HardLink:
                    // A hard link's target is a path from the archive's root, not from the link's folder.
                    SkipLink(NormalizePath(entry.Name), entry.LinkName, "hard link", targetIsFromRoot: true);
                    break;
                default:
                    throw EntryError(entry.Name, $"is a {entry.EntryType} entry; only regular files can be bundled (exclude it, or keep the archive whole)");
            }
        }
    }

    public override Stream OpenFile(SourceEntry entry)
    {
        var offset = long.Parse(entry.Key, System.Globalization.CultureInfo.InvariantCulture);
        var slice = new FileSliceStream(_tar.SafeFileHandle, offset, entry.Size);
        return new DeclaredSizeEntryStream(slice, entry.Size, _budget, problem => EntryError(entry.Path, problem));
    }

    public override void Dispose()
    {
        _tar.Dispose();
        base.Dispose();
    }

    private static void Decompress(PackageInput package, ArchiveFormat format, FileStream scratch, ExpansionBudget budget)
    {
        using var compressed = new FileStream(package.ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            using var decompressor = ArchiveDecompressor.Open(format, compressed);
            var buffer = new byte[1 << 17];
            int read;
            while ((read = decompressor.Read(buffer)) > 0)
            {
                budget.Add(read);
                scratch.Write(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is not BundleException and not OutOfMemoryException and not OperationCanceledException)
        {
            throw new BundleException($"The archive '{package.ArchivePath}' of {package.Id} {package.Version} could not be decompressed ({format}): {ex.Message}", ex);
        }
    }
}
