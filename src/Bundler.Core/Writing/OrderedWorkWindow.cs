using System.Threading.Channels;

namespace Bundler.Core.Writing;

/// <summary>
/// Runs a piece of work per input on the thread pool, a bounded number of inputs ahead of the reader, and hands the
/// results over in input order. Only the results in the window exist at once, so the writer of a set of any size
/// holds a bounded number of open archives, scratch files and entry lists.
/// </summary>
internal sealed class OrderedWorkWindow<TInput, TResult> : IAsyncDisposable
    where TResult : IDisposable
{
    private readonly Channel<Task<TResult>> _queue;
    private readonly CancellationTokenSource _stop;
    private readonly Task _producer;

    /// <param name="window">Results that exist at once: the one the reader holds plus those started ahead of it.</param>
    public OrderedWorkWindow(IReadOnlyList<TInput> inputs, Func<TInput, CancellationToken, Task<TResult>> work, int window, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _queue = Channel.CreateBounded<Task<TResult>>(new BoundedChannelOptions(window - 1)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        _producer = ProduceAsync(inputs, work, _stop.Token);
    }

    /// <summary>The results in input order; the reader disposes each. The first failure ends the sequence with its exception.</summary>
    public async IAsyncEnumerable<TResult> ReadAllAsync()
    {
        await foreach (var started in _queue.Reader.ReadAllAsync(_stop.Token))
        {
            yield return await started;
        }

        await _producer;
    }

    /// <summary>Stops starting work and disposes the results that were made but not read.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAny(_producer);
        while (_queue.Reader.TryRead(out var pending))
        {
            await DisposeWhenDoneAsync(pending);
        }

        _stop.Dispose();
    }

    private static async Task DisposeWhenDoneAsync(Task<TResult> started)
    {
        await Task.WhenAny(started);
        if (started.IsCompletedSuccessfully)
        {
            started.Result.Dispose();
        }
    }

    private async Task ProduceAsync(IReadOnlyList<TInput> inputs, Func<TInput, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var input in inputs)
            {
                // Start the work only once there is room for it, so no result exists outside the window.
                if (!await _queue.Writer.WaitToWriteAsync(cancellationToken))
                {
                    return;
                }

                var started = Task.Run(() => work(input, cancellationToken), cancellationToken);
                if (!_queue.Writer.TryWrite(started))
                {
                    await DisposeWhenDoneAsync(started);
                    throw new InvalidOperationException("The window's queue refused a write after offering room.");
                }
            }

            _queue.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            _queue.Writer.TryComplete(ex);
        }
    }
}
