using System.Diagnostics;

namespace Bundler.Core.Download.Scheduling;

/// <summary>
/// Grants request slots in arrival order under a total limit and a per-host limit. With a fixed concurrency both limits
/// are that number. Adapting, each host's limit starts low, grows by one per success (slow start) until the host first
/// pushes back, then by one per round (additive increase), and halves on push-back (a 429 or 503, a timeout, a reset)
/// at most once per second so one burst of failures counts once. When a released slot finds no request waiting for its
/// host, <see cref="Idle"/> is raised so the slot can be put to other work.
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

    /// <summary>A slot of this host was released and no request waits for it (raised outside the controller's lock).</summary>
    public event Action<string>? Idle;

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
            waiter.Host.Waiting++;
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
            waiter.Host.Waiting--;
        }

        waiter.Granted.TrySetCanceled(cancellationToken);
    }

    /// <summary>A slot for <paramref name="host"/> if one is free and no request waits for it; null otherwise.</summary>
    public Slot? TryAcquireIdle(string host)
    {
        lock (_gate)
        {
            var state = Host(host);
            if (!HasIdleSlot(state))
            {
                return null;
            }

            state.InFlight++;
            _inFlight++;
            return new Slot(this, state);
        }
    }

    private void Release(HostState host, bool raiseIdle)
    {
        bool idle;
        lock (_gate)
        {
            host.InFlight--;
            _inFlight--;
            Pump();
            idle = raiseIdle && HasIdleSlot(host);
        }

        if (idle)
        {
            Idle?.Invoke(host.Name);
        }
    }

    private bool HasIdleSlot(HostState host) => host.Waiting == 0 && host.InFlight < host.Limit && _inFlight < _totalLimit;

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
                host.Waiting--;
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
            state = new HostState(host) { Window = _initialPerHost };
            _hosts.Add(host, state);
        }

        return state;
    }

    internal sealed class HostState(string name)
    {
        public string Name { get; } = name;

        public double Window { get; set; }
        public int Limit => Math.Max(1, (int)Window);
        public int InFlight { get; set; }
        public int Waiting { get; set; }
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

        public void Dispose() => Release(raiseIdle: true);

        /// <summary>
        /// Frees the slot without raising <see cref="Idle"/>: it was not used, or its holder failed and will ask again
        /// after backing off (the slot should not go to other work meanwhile).
        /// </summary>
        public void Return() => Release(raiseIdle: false);

        private void Release(bool raiseIdle)
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _owner.Release(_host, raiseIdle);
            }
        }
    }
}
