namespace Bundler.Loader.IO;

/// <summary>
/// A forward-only stream whose one real read is <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>; the array
/// and synchronous reads go through it (a synchronous reader, such as an archive library, blocks on it).
/// </summary>
internal abstract class AsyncReadOnlyForwardStream : ReadOnlyForwardStream
{
    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
}
