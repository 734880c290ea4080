using Bundler.Core.Writing;

namespace Bundler.Core.Tests.Writing;

public sealed class OrderedWorkWindowTests
{
    [Fact]
    public async Task ReadAll_WorkFinishingOutOfOrder_YieldsInInputOrder()
    {
        var ledger = new Ledger();
        var inputs = Enumerable.Range(0, 40).ToList();

        var read = new List<int>();
        await using (var window = new OrderedWorkWindow<int, Tracked>(inputs, (i, ct) => ledger.MakeAsync(i, delayMs: (39 - i) % 7, ct), 6, CancellationToken.None))
        {
            await foreach (var result in window.ReadAllAsync())
            {
                using var _ = result;
                read.Add(result.Value);
            }
        }

        Assert.Equal(inputs, read);
        Assert.Equal(40, ledger.Made);
        Assert.Equal(0, ledger.Alive);
    }

    [Fact]
    public async Task ReadAll_SlowReader_NeverHoldsMoreResultsThanTheWindow()
    {
        var ledger = new Ledger();

        await using (var window = new OrderedWorkWindow<int, Tracked>(Enumerable.Range(0, 30).ToList(), (i, ct) => ledger.MakeAsync(i, delayMs: 0, ct), 4, CancellationToken.None))
        {
            await foreach (var result in window.ReadAllAsync())
            {
                using var _ = result;
                await Task.Delay(5);
            }
        }

        Assert.Equal(30, ledger.Made);
        Assert.InRange(ledger.MostAlive, 1, 4);
    }

    [Fact]
    public async Task Dispose_ReaderStopsEarly_DisposesEveryResultMade()
    {
        var ledger = new Ledger();

        await using (var window = new OrderedWorkWindow<int, Tracked>(Enumerable.Range(0, 100).ToList(), (i, ct) => ledger.MakeAsync(i, delayMs: 1, ct), 8, CancellationToken.None))
        {
            await foreach (var result in window.ReadAllAsync())
            {
                result.Dispose();
                if (result.Value == 2)
                {
                    break;
                }
            }
        }

        Assert.InRange(ledger.Made, 3, 10);
        Assert.Equal(0, ledger.Alive);
    }

    [Fact]
    public async Task ReadAll_WorkFails_ThrowsItsExceptionInOrderAndDisposesTheRest()
    {
        var ledger = new Ledger();
        var read = new List<int>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var window = new OrderedWorkWindow<int, Tracked>(Enumerable.Range(0, 50).ToList(), (i, ct) => i == 5 ? throw new InvalidOperationException("input 5") : ledger.MakeAsync(i, delayMs: 0, ct), 8, CancellationToken.None);
            await foreach (var result in window.ReadAllAsync())
            {
                using var _ = result;
                read.Add(result.Value);
            }
        });

        Assert.Equal("input 5", error.Message);
        Assert.Equal([0, 1, 2, 3, 4], read);
        Assert.Equal(0, ledger.Alive);
    }

    private sealed class Ledger
    {
        private int _made;
        private int _alive;
        private int _mostAlive;

        public int Made => Volatile.Read(ref _made);

        public int Alive => Volatile.Read(ref _alive);

        public int MostAlive => Volatile.Read(ref _mostAlive);

        public async Task<Tracked> MakeAsync(int value, int delayMs, CancellationToken cancellationToken)
        {
            await Task.Delay(delayMs, cancellationToken);
            Interlocked.Increment(ref _made);
            var alive = Interlocked.Increment(ref _alive);
            int most;
            while (alive > (most = Volatile.Read(ref _mostAlive)) && Interlocked.CompareExchange(ref _mostAlive, alive, most) != most)
            {
            }

            return new Tracked(value, () => Interlocked.Decrement(ref _alive));
        }
    }

    private sealed class Tracked(int value, Action onDispose) : IDisposable
    {
        private int _disposed;

        public int Value => value;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                onDispose();
            }
        }
    }
}
