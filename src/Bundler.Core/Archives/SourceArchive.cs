using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.IO;
using Bundler.Loader.Archives;
using Bundler.Loader.Format;

namespace Bundler.Core.Archives;

/// <summary>
/// A package's archive opened for reading: the list of its regular files (normalized and checked by
/// <see cref="ArchiveEntryRules"/>) and a way to read each. Links, devices and unsafe paths are reported here, before
/// any byte is bundled.
/// </summary>
internal abstract class SourceArchive : IDisposable
{
    protected SourceArchive(PackageInput package, BundleLimits limits)
    {
        Package = package;
        Limits = limits;
        Rules = new ArchiveEntryRules(Describe(package), $"{package.Id} {package.Version}", limits);
        ArchiveSize = SizeOf(package.ArchivePath);
    }

    public PackageInput Package { get; }

    public BundleLimits Limits { get; }

    public long ArchiveSize { get; }

    /// <summary>Entries left out, with the reason.</summary>
    public IReadOnlyList<string> Warnings => Rules.Warnings;

    protected ArchiveEntryRules Rules { get; }

    /// <summary>Opens the archive of <paramref name="package"/>, choosing the reader by the file's first bytes.</summary>
    public static SourceArchive Open(PackageInput package, BundleLimits limits, string scratchDirectory)
    {
        if (!File.Exists(package.ArchivePath))
        {
            throw new BundleException($"{Describe(package)} does not exist.");
        }

        if (package.KeepArchive)
        {
            return new WholeFileArchive(package, limits);
        }

        var format = ArchiveFormatDetector.Detect(package.ArchivePath);
        return format switch
        {
            ArchiveFormat.Zip => new ZipSourceArchive(package, limits),
            ArchiveFormat.Unknown => throw new BundleException(
                $"{Describe(package)} is not a zip, tar, or gzip/xz/bzip2/zstd-compressed tar file. Keep it whole (KeepArchive) or fix the file."),
            _ => TarSourceArchive.Open(package, limits, format, scratchDirectory),
        };
    }

    /// <summary>How errors name a package's archive: <c>The archive 'path' of id version</c>.</summary>
    public static string Describe(PackageInput package) => $"The archive '{package.ArchivePath}' of {package.Id} {package.Version}";

    /// <summary>Size of the file itself, following symbolic links; a special file is refused before it is opened.</summary>
    public static long SizeOf(string path) =>
        RegularFile.Length(path, "The archive", () => new BundleException($"The archive '{path}' does not exist."));

    /// <summary>All regular files, in archive order.</summary>
    public abstract IReadOnlyList<SourceEntry> ListFiles();

    /// <summary>Opens a file's bytes; reading more or fewer than it declares is an error.</summary>
    public abstract Stream OpenFile(SourceEntry entry);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>Holds an entry's bytes to the size it declares (problems named by <paramref name="error"/>) and charges them to <paramref name="budget"/>.</summary>
    protected static Stream Bounded(Stream data, long declaredSize, ExpansionBudget budget, Func<string, BundleException> error) =>
        new ExpansionBudgetStream(new DeclaredSizeEntryStream(data, declaredSize, error), budget);
}
