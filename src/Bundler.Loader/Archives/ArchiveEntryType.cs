using System.Formats.Tar;
using SharpCompress.Archives.Zip;
using Bundler.Loader.Format;

namespace Bundler.Loader.Archives;

/// <summary>
/// An archive entry's kind and bundle mode, told from a zip entry's external attributes (a unix mode in the high 16
/// bits; none at all is a regular file) or from a tar entry's type and mode.
/// </summary>
/// <param name="Kind">What the entry is.</param>
/// <param name="Description">How messages name the kind, e.g. <c>symbolic link</c>, <c>special file (unix type 01)</c>, <c>Fifo entry</c>.</param>
/// <param name="Mode">The bundle mode of a regular file: 755 when any execute bit is set, else 644 (as decimal 493 or 420).</param>
internal readonly record struct ArchiveEntryType(ArchiveEntryKind Kind, string Description, int Mode)
{
    private const int UnixTypeMask = 0xF000;
    private const int UnixRegular = 0x8000;
    private const int UnixDirectory = 0x4000;
    private const int UnixSymlink = 0xA000;
    private const int AnyExecute = 0x49; // 0111
    private const string PaxSparsePrefix = "GNU.sparse.";

    public static ArchiveEntryType OfZip(ZipArchiveEntry entry)
    {
        var unixMode = (int)((entry.Attrib ?? 0) >>> 16);
        var type = unixMode & UnixTypeMask;
        var mode = BundleMode(unixMode);
        if (entry.IsDirectory || type == UnixDirectory)
        {
            return new(ArchiveEntryKind.Folder, "folder", mode);
        }

        return type switch
        {
            UnixSymlink => new(ArchiveEntryKind.SymbolicLink, "symbolic link", mode),
            0 or UnixRegular => new(ArchiveEntryKind.RegularFile, "regular file", mode),
            _ => new(ArchiveEntryKind.Special, $"special file (unix type 0{Convert.ToString(type >> 12, 8)})", mode),
        };
    }

    public static ArchiveEntryType OfTar(TarEntry entry)
    {
        var mode = BundleMode((int)entry.Mode);
        // A pax sparse file (GNU tar --sparse --format=posix) reads as a regular file holding the sparse map, not the file.
        if (entry is PaxTarEntry pax && pax.ExtendedAttributes.Keys.Any(key => key.StartsWith(PaxSparsePrefix, StringComparison.Ordinal)))
        {
            return new(ArchiveEntryKind.Special, "sparse file (pax GNU.sparse; re-create the archive without --sparse)", mode);
        }

        return entry.EntryType switch
        {
            TarEntryType.Directory or TarEntryType.GlobalExtendedAttributes => new(ArchiveEntryKind.Folder, "folder", mode),
            TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => new(ArchiveEntryKind.RegularFile, "regular file", mode),
            TarEntryType.SymbolicLink => new(ArchiveEntryKind.SymbolicLink, "symbolic link", mode),
            TarEntryType.HardLink => new(ArchiveEntryKind.HardLink, "hard link", mode),
            var other => new(ArchiveEntryKind.Special, $"{other} entry", mode),
        };
    }

    private static int BundleMode(int unixMode) => (unixMode & AnyExecute) != 0 ? BundleFormat.ExecutableFileMode : BundleFormat.RegularFileMode;
}
