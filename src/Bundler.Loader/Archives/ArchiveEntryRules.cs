using System.Formats.Tar;
using SharpCompress.Archives.Zip;
using Bundler.Loader.Archives.Zip;
using Bundler.Loader.Format;

namespace Bundler.Loader.Archives;

/// <summary>
/// The rules every entry of one source archive is held to, by the writer when it packs the archive and again by files
/// mode when it extracts it, so that an archive the writer would refuse is refused there too: a safe path
/// (<see cref="EntryPath"/>), no link leaving the package (one inside is skipped, with a warning: bundles hold regular
/// files only), no device, FIFO or other special entry, declared sizes within <see cref="BundleLimits"/>, and no zip
/// entries that overlap or name one file twice. The errors and warnings are worded alike for both; only the way they
/// name the archive differs.
/// </summary>
/// <param name="archive">How errors name the archive: <c>The archive 'x.tgz' of x 1.0.0</c> or <c>URL: the archive of x 1.0.0</c>.</param>
/// <param name="package">How warnings name the package: <c>x 1.0.0</c>.</param>
/// <param name="limits">The limits to hold the entries to.</param>
internal sealed class ArchiveEntryRules(string archive, string package, BundleLimits limits)
{
    private readonly HashSet<string> _zipFiles = new(StringComparer.Ordinal);

    /// <summary>How errors name the archive.</summary>
    public string Archive => archive;

    /// <summary>Entries left out, with the reason.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>A budget for the bytes this archive expands to, naming it as its errors do.</summary>
    public ExpansionBudget Budget(long archiveSize) => new(archive, archiveSize, limits);

    /// <summary>Throws when two of the zip's entries overlap (<see cref="ZipOverlapCheck"/>).</summary>
    public void CheckNoOverlap(ZipEntryStreams streams)
    {
        if (streams.FindOverlap() is var (overlapping, overlapped))
        {
            throw EntryError(overlapping, $"overlaps the bytes of '{overlapped}' (a zip bomb made of overlapping entries)");
        }
    }

    /// <summary>
    /// The checked path and bundle mode of a zip entry to take as a file, or null for one that is skipped (a folder, a
    /// link inside the package); throws for any other entry, and for a file named twice in the zip.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <param name="open">Opens an entry's bytes (a symbolic link's target is read through it).</param>
    /// <param name="refuseEncrypted">Refuse an encrypted entry (the writer does; files mode fails only on reading a listed one).</param>
    public (string Path, int Mode)? ZipEntryFile(ZipArchiveEntry entry, Func<ZipArchiveEntry, Stream> open, bool refuseEncrypted)
    {
        var type = ArchiveEntryType.OfZip(entry);
        if (type.Kind == ArchiveEntryKind.Folder)
        {
            return null;
        }

        var path = CheckedPath(entry.Key ?? "");
        if (refuseEncrypted && entry.IsEncrypted)
        {
            throw EntryError(path, "is encrypted");
        }

        if (!IsFile(type, path, () => ReadLinkTarget(path, entry, open), entry.Size, entry.CompressedSize))
        {
            return null;
        }

        if (!_zipFiles.Add(path))
        {
            throw Duplicate(path);
        }

        return (path, type.Mode);
    }

    /// <summary>
    /// The checked path and bundle mode of a tar entry to take as a file, or null for one that is skipped (a folder,
    /// metadata, a link inside the package); throws for any other entry. Names found twice are left to the caller.
    /// </summary>
    public (string Path, int Mode)? TarEntryFile(TarEntry entry)
    {
        var type = ArchiveEntryType.OfTar(entry);
        if (type.Kind == ArchiveEntryKind.Folder)
        {
            return null;
        }

        var path = CheckedPath(entry.Name);
        return IsFile(type, path, () => entry.LinkName, entry.Length, compressedSize: null) ? (path, type.Mode) : null;
    }

    /// <summary>Normalizes an archive path ('\' to '/', leading './' removed) and checks it; throws naming the archive and entry.</summary>
    public string CheckedPath(string rawPath)
    {
        var path = EntryPath.FromArchiveEntry(rawPath);
        var problem = EntryPath.Problem(path, limits.MaxPathLength);
        return problem is null ? path : throw new BundleException($"{archive} has an entry '{rawPath}' with an unsafe path: {problem}. Nothing was written.");
    }

    public BundleException Duplicate(string path) =>
        new($"{archive} has colliding entries: '{path}' appears twice. Nothing was written.");

    public BundleException EntryError(string entry, string problem) =>
        new($"{archive} has an entry '{entry}' that {problem}. Nothing was written.");

    /// <summary>True for a regular file within the size limits; false for a link inside the package (recorded as skipped); throws otherwise.</summary>
    private bool IsFile(ArchiveEntryType type, string path, Func<string> linkTarget, long size, long? compressedSize)
    {
        switch (type.Kind)
        {
            case ArchiveEntryKind.SymbolicLink or ArchiveEntryKind.HardLink:
                SkipLink(path, linkTarget(), type);
                return false;
            case ArchiveEntryKind.Special:
                throw EntryError(path, $"is a {type.Description}; only regular files can be bundled (exclude it, or keep the archive whole)");
        }

        if (size < 0 || size > limits.MaxFileSize)
        {
            throw EntryError(path, $"declares {size} bytes; files may have at most {limits.MaxFileSize} (BundleLimits.MaxFileSize)");
        }

        if (compressedSize is { } compressed && limits.ExceedsCompressionRatio(size, compressed))
        {
            throw EntryError(path, $"declares a compression ratio over {limits.MaxCompressionRatio}:1 ({size} bytes from {compressed}); refusing it as a zip bomb (BundleLimits.MaxCompressionRatio)");
        }

        return true;
    }

    /// <summary>Throws when a link would leave the package folder; otherwise records it as skipped.</summary>
    private void SkipLink(string path, string target, ArchiveEntryType type)
    {
        // A hard link's target is a path from the archive's root, a symbolic link's from the link's folder.
        if (EntryPath.ResolveLink(path, target, targetIsFromRoot: type.Kind == ArchiveEntryKind.HardLink) is null)
        {
            throw new BundleException($"{archive} has a {type.Description} '{path}' -> '{target}' that points outside the package. Nothing was written; exclude the entry if the package is otherwise fine.");
        }

        Warnings.Add($"{package}: skipped {type.Description} '{path}' -> '{target}' (bundles hold regular files only)");
    }

    private string ReadLinkTarget(string path, ZipArchiveEntry entry, Func<ZipArchiveEntry, Stream> open)
    {
        if (entry.Size > ZipLinkTarget.MaxSize)
        {
            throw EntryError(path, "is a symbolic link with an implausibly long target");
        }

        try
        {
            using var stream = open(entry);
            return ZipLinkTarget.Read(stream, entry.Size);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw EntryError(path, $"is a symbolic link, and {ex.Message}");
        }
    }
}
