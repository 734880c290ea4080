using Bundler.Core.Archives;
using Bundler.Core.Download;

namespace Bundler.Core.Writing;

/// <summary>A package ready to be written: its open archive, selected files in bundle order, and its archive's integrity.</summary>
internal sealed class PackagePlan(PackageInput input, SourceArchive archive, IReadOnlyList<SourceEntry> files, string integrity, string? contentHash = null) : IDisposable
{
    public PackageInput Input { get; } = input;

    public SourceArchive Archive { get; } = archive;

    /// <summary>Selected files sorted by path (ordinal).</summary>
    public IReadOnlyList<SourceEntry> Files { get; } = files;

    public string Integrity { get; } = integrity;

    /// <summary>A signed .nupkg's NuGet content hash, for its NuGet layout (<see cref="NuGetContentHash"/>).</summary>
    public string? ContentHash { get; } = contentHash;

    private bool _disposed;

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Archive.Dispose();
        }
    }
}
