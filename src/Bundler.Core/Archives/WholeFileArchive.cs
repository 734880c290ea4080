using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Archives;
using Bundler.Loader.Format;

namespace Bundler.Core.Archives;

/// <summary>An archive kept whole: the archive file itself is the package's one file.</summary>
internal sealed class WholeFileArchive(PackageInput package, BundleLimits limits) : SourceArchive(package, limits)
{
    public override IReadOnlyList<SourceEntry> ListFiles()
    {
        var name = NormalizePath(Package.EffectiveArchiveName);
        if (ArchiveSize > Limits.MaxFileSize)
        {
            throw new BundleException($"The archive '{Package.ArchivePath}' of {Package.Id} {Package.Version} has {ArchiveSize} bytes; files may have at most {Limits.MaxFileSize} (BundleLimits.MaxFileSize).");
        }

        return [new SourceEntry(name, ArchiveSize, BundleFormat.RegularFileMode, name)];
    }

    public override Stream OpenFile(SourceEntry entry) =>
        new DeclaredSizeEntryStream(
            new FileStream(Package.ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0),
            entry.Size,
            new ExpansionBudget(Describe(Package), long.MaxValue / 2, Limits),
            problem => new BundleException($"The archive '{Package.ArchivePath}' of {Package.Id} {Package.Version} {problem}; did it change while bundling?"));
}
