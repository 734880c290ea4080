namespace Bundler.Serving;

/// <summary>Counts requests being handled and lets a caller wait until there are none.</summary>
internal sealed class InFlightCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Scope Enter()
    {
        Interlocked.Increment(ref _count);
        return new Scope(this);
    }

    public async Task WaitUntilZeroAsync(CancellationToken cancellationToken)
    {
        while (Count > 0)
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    public readonly struct Scope(InFlightCounter owner) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref owner._count);
    }
}
