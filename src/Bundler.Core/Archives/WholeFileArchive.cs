using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Format;

namespace Bundler.Core.Archives;

/// <summary>An archive kept whole: the archive file itself is the package's one file.</summary>
internal sealed class WholeFileArchive(PackageInput package, BundleLimits limits) : SourceArchive(package, limits)
{
    public override IReadOnlyList<SourceEntry> ListFiles()
    {
        var name = Rules.CheckedPath(Package.EffectiveArchiveName);
        if (ArchiveSize > Limits.MaxFileSize)
        {
            throw new BundleException($"{Describe(Package)} has {ArchiveSize} bytes; files may have at most {Limits.MaxFileSize} (BundleLimits.MaxFileSize).");
        }

        return [new SourceEntry(name, ArchiveSize, BundleFormat.RegularFileMode, name)];
    }

    public override Stream OpenFile(SourceEntry entry) =>
        Bounded(
            new FileStream(Package.ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0),
            entry.Size,
            Rules.Budget(long.MaxValue / 2),
            problem => new BundleException($"{Describe(Package)} {problem}; did it change while bundling?"));
}
