using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Archives;
using Bundler.Loader.Format;

namespace Bundler.Core.Archives;

/// <summary>
/// A package's archive opened for reading: the list of its regular files (normalized and checked) and a way to
/// read each. Links, devices and unsafe paths are reported here, before any byte is bundled.
/// </summary>
internal abstract class SourceArchive : IDisposable
{
    protected SourceArchive(PackageInput package, BundleLimits limits)
    {
        Package = package;
        Limits = limits;
        ArchiveSize = SizeOf(package.ArchivePath);
    }

    public PackageInput Package { get; }

    public BundleLimits Limits { get; }

    public long ArchiveSize { get; }

    /// <summary>Entries left out, with the reason.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Opens the archive of <paramref name="package"/>, choosing the reader by the file's first bytes.</summary>
    public static SourceArchive Open(PackageInput package, BundleLimits limits, string scratchDirectory)
    {
        if (!File.Exists(package.ArchivePath))
        {
            throw new BundleException($"The archive '{package.ArchivePath}' of {package.Id} {package.Version} does not exist.");
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
                $"The archive '{package.ArchivePath}' of {package.Id} {package.Version} is not a zip, tar, or gzip/xz/bzip2/zstd-compressed tar file. Keep it whole (KeepArchive) or fix the file."),
            _ => TarSourceArchive.Open(package, limits, format, scratchDirectory),
        };
    }

    /// <summary>How errors name a package's archive: <c>The archive 'path' of id version</c>.</summary>
    public static string Describe(PackageInput package) => $"The archive '{package.ArchivePath}' of {package.Id} {package.Version}";

    /// <summary>Size of the file itself, following symbolic links (FileInfo.Length would give the link's own length).</summary>
    public static long SizeOf(string path)
    {
        using var handle = File.OpenHandle(path);
        return RandomAccess.GetLength(handle);
    }

    /// <summary>All regular files, in archive order.</summary>
    public abstract IReadOnlyList<SourceEntry> ListFiles();

    /// <summary>Opens a file's bytes; reading more or fewer than it declares is an error.</summary>
    public abstract Stream OpenFile(SourceEntry entry);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>Normalizes an archive path ('\' to '/', leading './' removed) and checks it; throws naming the archive and entry.</summary>
    protected string NormalizePath(string rawPath)
    {
        var path = EntryPath.FromArchiveEntry(rawPath);
        var problem = EntryPath.Problem(path, Limits.MaxPathLength);
        if (problem is not null)
        {
            throw new BundleException($"The archive '{Package.ArchivePath}' of {Package.Id} {Package.Version} has an entry '{rawPath}' with an unsafe path: {problem}. Nothing was written.");
        }

        return path;
    }

    /// <summary>Throws when a link would leave the package folder; otherwise records it as skipped.</summary>
    protected void SkipLink(string path, string target, string kind, bool targetIsFromRoot)
    {
        var resolved = EntryPath.ResolveLink(path, target, targetIsFromRoot);
        if (resolved is null)
        {
            throw new BundleException($"The archive '{Package.ArchivePath}' of {Package.Id} {Package.Version} has a {kind} '{path}' -> '{target}' that points outside the package. Nothing was written; exclude the entry if the package is otherwise fine.");
        }

        Warnings.Add($"{Package.Id} {Package.Version}: skipped {kind} '{path}' -> '{target}' (bundles hold regular files only)");
    }

    protected BundleException EntryError(string entry, string problem) =>
        new($"The archive '{Package.ArchivePath}' of {Package.Id} {Package.Version} has an entry '{entry}' that {problem}. Nothing was written.");
}
