using System.Buffers;
using System.IO.Pipelines;

namespace Bundler.Loader.IO;

/// <summary>
/// Reads a network body into a bounded buffer from the moment it is opened, whatever its consumer is doing. While the
/// loader parses the manifest or waits for a worker, the socket keeps being drained, so the receive window keeps
/// growing and the sender never stalls on a reader that is briefly busy (on a slow link a short pause early on
/// otherwise delays the whole transfer by TCP's ramp). A failure of the body is rethrown to the consumer as is, after
/// every byte read before it.
/// </summary>
internal sealed class ReadAheadStream : AsyncReadOnlyForwardStream
{
    private const int SegmentSize = 64 * 1024;

    private readonly Stream _inner;
    private readonly BlockPool _blocks;
    private readonly Pipe _pipe;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private Exception? _failure;
    private int _closed;

    /// <param name="inner">The body; disposed with this stream.</param>
    /// <param name="limit">How many bytes may wait unread before reading pauses.</param>
    public ReadAheadStream(Stream inner, int limit)
    {
        _inner = inner;
        _blocks = new BlockPool(SegmentSize, maxKept: limit / SegmentSize + 2);
        _pipe = new Pipe(new PipeOptions(
            pool: _blocks,
            pauseWriterThreshold: limit,
            resumeWriterThreshold: limit / 2,
            minimumSegmentSize: SegmentSize,
            useSynchronizationContext: false));
        _pump = Task.Run(PumpAsync);
    }

    private async Task PumpAsync()
    {
        var writer = _pipe.Writer;
        try
        {
            while (true)
            {
                var read = await _inner.ReadAsync(writer.GetMemory(SegmentSize), _stop.Token);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                if ((await writer.FlushAsync(_stop.Token)).IsCompleted)
                {
                    break;
                }
            }

            await writer.CompleteAsync();
        }
        catch (Exception ex)
        {
            // Not handed to the pipe: its reader would throw it at once, before the bytes still buffered.
            _failure = ex;
            await writer.CompleteAsync();
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        var result = await _pipe.Reader.ReadAsync(cancellationToken);
        var available = result.Buffer;
        if (available.IsEmpty && result.IsCompleted && Volatile.Read(ref _failure) is { } failure)
        {
            _pipe.Reader.AdvanceTo(available.End);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        var count = (int)Math.Min(available.Length, buffer.Length);
        available.Slice(0, count).CopyTo(buffer.Span);
        _pipe.Reader.AdvanceTo(available.GetPosition(count));
        return count;
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await _pipe.Reader.CompleteAsync();
        await _pump;
        await _inner.DisposeAsync();
        _stop.Dispose();
        _blocks.Dispose();
    }
}
