using Microsoft.Win32.SafeHandles;

namespace Bundler.Core.Writing;

/// <summary>
/// The compressed frames of the packages written so far, in the order they were compressed, in a temporary file beside
/// the bundle (so that the frames of a set of any size never sit in memory). Frames are appended from several packages
/// at once; each append reserves its own range. The file is deleted when closed, whether the write succeeded or not.
/// </summary>
internal sealed class SpillFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private long _length;

    public SpillFile(string path)
    {
        _handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
    }

    /// <summary>Writes <paramref name="bytes"/> at the end; returns where they start.</summary>
    public async ValueTask<long> AppendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var offset = Interlocked.Add(ref _length, bytes.Length) - bytes.Length;
        await RandomAccess.WriteAsync(_handle, bytes, offset, cancellationToken);
        return offset;
    }

    /// <summary>Copies <paramref name="size"/> bytes from <paramref name="offset"/> to <paramref name="destination"/>.</summary>
    public async Task CopyToAsync(long offset, long size, Stream destination, byte[] buffer, CancellationToken cancellationToken)
    {
        while (size > 0)
        {
            var read = await RandomAccess.ReadAsync(_handle, buffer.AsMemory(0, (int)Math.Min(buffer.Length, size)), offset, cancellationToken);
            if (read == 0)
            {
                throw new IOException("The temporary frame file ended early; it was changed while the bundle was being written.");
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            offset += read;
            size -= read;
        }
    }

    public void Dispose() => _handle.Dispose();
}
