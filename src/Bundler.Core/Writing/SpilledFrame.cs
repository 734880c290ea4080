namespace Bundler.Core.Writing;

/// <summary>A compressed frame of one package, waiting in the <see cref="SpillFile"/> for the bundle to be assembled.</summary>
/// <param name="SpillOffset">Where its bytes start in the spill file.</param>
/// <param name="Size">Its compressed size.</param>
/// <param name="ContentLength">The tar bytes it holds.</param>
internal sealed record SpilledFrame(long SpillOffset, int Size, int ContentLength);
