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
    private readonly FileStream _tar;
    private readonly ExpansionBudget _budget;

    private TarSourceArchive(PackageInput package, BundleLimits limits, FileStream tar) : base(package, limits)
    {
        _tar = tar;
        _budget = Rules.Budget(ArchiveSize);
    }

    public static TarSourceArchive Open(PackageInput package, BundleLimits limits, ArchiveFormat format, string scratchDirectory)
    {
        if (format == ArchiveFormat.Tar)
        {
            return new TarSourceArchive(package, limits, new FileStream(package.ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess));
        }

        var scratch = new FileStream(
            Path.Combine(scratchDirectory, Guid.NewGuid().ToString("N") + ".tar"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        try
        {
            var archive = new TarSourceArchive(package, limits, scratch);
            archive.Decompress(format);
            return archive;
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
        using var reader = new TarEntryReader(_tar);
        while (true)
        {
            var entry = reader.Next(() => Describe(Package));
            if (entry is null)
            {
                return files;
            }

            if (Rules.TarEntryFile(entry) is var (path, mode))
            {
                files.Add(new SourceEntry(path, entry.Length, mode, entry.DataOffset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
    }

    public override Stream OpenFile(SourceEntry entry)
    {
        var offset = long.Parse(entry.Key, System.Globalization.CultureInfo.InvariantCulture);
        var slice = new FileSliceStream(_tar.SafeFileHandle, offset, entry.Size);
        return Bounded(slice, entry.Size, _budget, problem => Rules.EntryError(entry.Path, problem));
    }

    public override void Dispose()
    {
        _tar.Dispose();
        base.Dispose();
    }

    /// <summary>Undoes the outer compression into the scratch file, charging the tar it gives to a budget of its own: the bytes of its entries are charged again when read.</summary>
    private void Decompress(ArchiveFormat format)
    {
        using var compressed = new FileStream(Package.ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            using var tar = new ExpansionBudgetStream(ArchiveDecompressor.Open(format, compressed), Rules.Budget(ArchiveSize));
            tar.CopyTo(_tar, 1 << 17);
        }
        catch (Exception ex) when (ex is not BundleException and not OutOfMemoryException and not OperationCanceledException)
        {
            throw new BundleException($"{Describe(Package)} could not be decompressed ({format}): {ex.Message}", ex);
        }
    }
}
