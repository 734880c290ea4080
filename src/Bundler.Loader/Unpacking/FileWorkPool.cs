namespace Bundler.Loader.Unpacking;

/// <summary>
/// Runs file work (hash, create, write) on the thread pool, at most a fixed number at once. The first failure cancels
/// the rest through the shared token and is rethrown to the reader at its next file, or when it drains.
/// </summary>
internal sealed class FileWorkPool(int maxInFlight, CancellationTokenSource stop) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(maxInFlight, maxInFlight);
    private readonly List<Task> _running = [];
    private Exception? _firstError;

    public async Task StartAsync(Action work)
    {
        await _slots.WaitAsync(stop.Token);
        _running.RemoveAll(t => t.IsCompleted);
        _running.Add(Task.Run(() =>
        {
            try
            {
                stop.Token.ThrowIfCancellationRequested();
                work();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.CompareExchange(ref _firstError, ex, null);
                stop.Cancel();
            }
            finally
            {
                _slots.Release();
            }
        }));
    }

    public void ThrowIfFailed()
    {
        if (Volatile.Read(ref _firstError) is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }

    public async Task DrainAsync(bool throwFirstError)
    {
        try
        {
            await Task.WhenAll(_running);
        }
        catch (OperationCanceledException) when (!throwFirstError || _firstError is not null)
        {
        }

        if (throwFirstError)
        {
            ThrowIfFailed();
        }
    }

    public void Dispose() => _slots.Dispose();
}
