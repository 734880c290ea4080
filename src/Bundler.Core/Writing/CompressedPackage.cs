using Bundler.Loader.Format;

namespace Bundler.Core.Writing;

/// <summary>
/// A package whose frames are compressed and in the spill file, waiting for the bundle's other packages. Its tar
/// stream starts at 0: <see cref="Entry"/>'s tar offsets (its own and its files') and first frame are relative to the
/// package, and become the bundle's when the packages are assembled in order.
/// </summary>
internal sealed record CompressedPackage(PackageInput Input, PackageEntry Entry, IReadOnlyList<SpilledFrame> Frames, IReadOnlyList<string> Warnings)
{
    public long FileBytes { get; } = Entry.Files.Sum(f => f.Size);
}
