using System.Buffers;
using Bundler.Loader.Format;

namespace Bundler.Loader.IO;

/// <summary>
/// The pool of frame-sized buffers (compressed frames, decoded frames, range bodies). Unlike the shared pool it keeps
/// no per-thread copies, so the memory it holds stays near what the bounded channels have in flight, however many
/// thread-pool threads happen to decode.
/// </summary>
internal static class FrameBuffers
{
    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(2 * BundleFormat.MaxFrameContentSize, Math.Max(4, 2 * Environment.ProcessorCount));
}
