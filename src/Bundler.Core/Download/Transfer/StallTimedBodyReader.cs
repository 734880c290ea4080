using System.Runtime.ExceptionServices;
using Bundler.Loader.Http;

namespace Bundler.Core.Download.Transfer;

/// <summary>
/// Reads response bodies into buffers, with a stall clock that runs only while waiting for the network: a read that
/// gets no byte for the stall timeout cancels its attempt, and a body that arrives slower than
/// <paramref name="minimumRate"/> fails as a stall does. Each byte that arrives is reported to <paramref name="arrived"/>.
/// </summary>
internal sealed class StallTimedBodyReader(TimeSpan stallTimeout, MinimumTransferRate minimumRate, Action<int> arrived)
{
    // The largest socket read of a range's body. A split never cuts into a read under way, so this is how far past
    // what has arrived a range can be cut; socket reads rarely return more at once anyway.
    private const int RangeReadSize = 32 * 1024;

    /// <summary>
    /// Reads until <paramref name="buffer"/> is full or the body ends. A socket read returns what has arrived so far
    /// (often a few KiB), so filling first means one file write and one hash update per buffer. A read that fails is
    /// returned with the bytes before it, so the caller keeps them and resumes after them. Reading a
    /// <paramref name="range"/>, each socket read is announced to it first and the filling stops early where a split
    /// has moved its end. <paramref name="meter"/> (one per body, from <see cref="NewMeter"/>) judges the body's rate.
    /// </summary>
    public async ValueTask<(int Read, ExceptionDispatchInfo? Failure)> FillAsync(Stream body, Memory<byte> buffer, long position, CancellationTokenSource attempt, TransferRateMeter meter, ByteRange? range = null)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var size = range?.BeginRead(position + filled, Math.Min(RangeReadSize, buffer.Length - filled)) ?? buffer.Length - filled;
            if (size == 0)
            {
                break;
            }

            int read;
            try
            {
                attempt.CancelAfter(stallTimeout);
                meter.Reading();
                read = await ReadAsync(body, buffer.Slice(filled, size), position + filled, attempt.Token);
                attempt.CancelAfter(Timeout.InfiniteTimeSpan);
            }
            catch (Exception ex)
            {
                return (filled, ExceptionDispatchInfo.Capture(ex));
            }

            if (read == 0)
            {
                break;
            }

            range?.Arrived(read);
            filled += read;
            arrived(read);
            if (meter.Arrived(read) is { } tooSlow)
            {
                return (filled, ExceptionDispatchInfo.Capture(new TransientFailure($"the body was too slow at byte {position + filled}: {tooSlow}", pushBack: true)));
            }
        }

        return (filled, null);
    }

    /// <summary>A meter for one response body, started now.</summary>
    public TransferRateMeter NewMeter() => new(minimumRate);

    private static async ValueTask<int> ReadAsync(Stream body, Memory<byte> buffer, long position, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new TransientFailure($"the connection broke at byte {position} ({ex.Message})", pushBack: true, innerException: ex);
        }
    }
}
