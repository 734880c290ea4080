using System.Diagnostics;

namespace Bundler.Core.Download;

/// <summary>
/// Grants request slots in arrival order under a total limit and a per-host limit. With a fixed concurrency both limits
/// are that number. Adapting, each host's limit starts low, grows by one per success (slow start) until the host first
/// pushes back, then by one per round (additive increase), and halves on push-back (a 429 or 503, a timeout, a reset)
/// at most once per second so one burst of failures counts once.
/// </summary>
internal sealed class ConcurrencyController
{
    private static readonly long BackoffSpacing = Stopwatch.Frequency;

    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly Dictionary<string, HostState> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _adaptive;
    private readonly int _totalLimit;
    private readonly int _initialPerHost;
    private readonly int _maxPerHost;
    private int _inFlight;

    public ConcurrencyController(DownloadOptions options)
    {
        _adaptive = options.Concurrency is null;
        _totalLimit = options.Concurrency ?? options.MaxTotal;
        _initialPerHost = options.Concurrency ?? Math.Min(options.InitialPerHost, options.MaxPerHost);
        _maxPerHost = options.Concurrency ?? options.MaxPerHost;
    }

    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>The current limit for <paramref name="host"/> (for tests and diagnostics).</summary>
    public int LimitFor(string host)
    {
        lock (_gate)
        {
            return Host(host).Limit;
        }
    }

    public async ValueTask<Slot> AcquireAsync(string host, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_gate)
        {
            waiter = new Waiter(Host(host));
            waiter.Node = _waiters.AddLast(waiter);
            Pump();
        }

        await using (cancellationToken.Register(() => Abandon(waiter, cancellationToken)))
        {
            await waiter.Granted.Task;
        }

        return new Slot(this, waiter.Host);
    }

    private void Abandon(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (waiter.Node?.List is null)
            {
                return;
            }

            _waiters.Remove(waiter.Node);
        }

        waiter.Granted.TrySetCanceled(cancellationToken);
    }

    private void Release(HostState host)
    {
        lock (_gate)
        {
            host.InFlight--;
            _inFlight--;
            Pump();
        }
    }

    private void Succeeded(HostState host)
    {
        if (!_adaptive)
        {
            return;
        }

        lock (_gate)
        {
            host.Window = Math.Min(_maxPerHost, host.Window + (host.SlowStart ? 1 : 1 / host.Window));
            Pump();
        }
    }

    private void PushedBack(HostState host)
    {
        if (!_adaptive)
        {
            return;
        }

        lock (_gate)
        {
            host.SlowStart = false;
            var now = Stopwatch.GetTimestamp();
            if (now - host.LastBackoff < BackoffSpacing)
            {
                return;
            }

            host.LastBackoff = now;
            host.Window = Math.Max(1, Math.Floor(host.Window / 2));
        }
    }

    private void Pump()
    {
        for (var node = _waiters.First; node is not null && _inFlight < _totalLimit;)
        {
            var next = node.Next;
            var host = node.Value.Host;
            if (host.InFlight < host.Limit)
            {
                host.InFlight++;
                _inFlight++;
                _waiters.Remove(node);
                node.Value.Granted.TrySetResult();
            }

            node = next;
        }
    }

    private HostState Host(string host)
    {
        if (!_hosts.TryGetValue(host, out var state))
        {
            state = new HostState { Window = _initialPerHost };
            _hosts.Add(host, state);
        }

        return state;
    }

    internal sealed class HostState
    {
        public double Window { get; set; }
        public int Limit => Math.Max(1, (int)Window);
        public int InFlight { get; set; }
        public bool SlowStart { get; set; } = true;
        public long LastBackoff { get; set; } = long.MinValue / 2;
    }

    private sealed class Waiter(HostState host)
    {
        public HostState Host { get; } = host;
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<Waiter>? Node { get; set; }
    }

    /// <summary>A granted slot; report how the request went, then dispose it to free the slot.</summary>
    internal sealed class Slot : IDisposable
    {
        private readonly ConcurrencyController _owner;
        private readonly HostState _host;
        private int _released;

        public Slot(ConcurrencyController owner, HostState host)
        {
            _owner = owner;
            _host = host;
        }

        public void Succeeded() => _owner.Succeeded(_host);

        public void PushedBack() => _owner.PushedBack(_host);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _owner.Release(_host);
            }
        }
    }
}
