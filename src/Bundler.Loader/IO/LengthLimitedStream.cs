namespace Bundler.Loader.IO;

/// <summary>A forward-only read stream that counts what it has given and fails once that passes a limit.</summary>
internal sealed class LengthLimitedStream(Stream inner, long maxLength, Func<Exception> tooLong) : AsyncReadOnlyForwardStream
{
    /// <summary>Bytes read so far.</summary>
    public long BytesRead { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        BytesRead += read;
        if (BytesRead > maxLength)
        {
            throw tooLong();
        }

        return read;
    }
}
