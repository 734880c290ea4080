using System.Collections.Concurrent;

namespace Bundler.Testing.Http.Faults;

/// <summary>
/// The faults a server injects, and a record of every one it did inject (per path and kind). Rules are checked in order
/// for each request; each rule counts its hits per path. A seed makes probabilistic plans repeatable.
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(int Rule, string Path), int> _hits = [];
    private readonly Dictionary<(int Rule, string Path), int> _seen = [];
    private readonly ConcurrentQueue<(string Path, FaultKind Kind)> _injected = new();
    private readonly Random _random;

    public FaultPlan(IEnumerable<Fault> faults, int seed = 1)
    {
        Faults = [.. faults];
        _random = new Random(seed);
    }

    public FaultPlan(params Fault[] faults) : this(faults, seed: 1) { }

    public IReadOnlyList<Fault> Faults { get; }

    /// <summary>Every injected fault, in order.</summary>
    public IReadOnlyList<(string Path, FaultKind Kind)> Injected => [.. _injected];

    public int InjectedCount(string path) => _injected.Count(i => i.Path == path);

    public int InjectedCount(FaultKind kind) => _injected.Count(i => i.Kind == kind);

    /// <summary>The faults that hit this request (recorded as injected).</summary>
    public IReadOnlyList<Fault> Take(string path)
    {
        var taken = new List<Fault>();
        lock (_gate)
        {
            for (var rule = 0; rule < Faults.Count; rule++)
            {
                var fault = Faults[rule];
                if (fault.Path is not null && fault.Path != path)
                {
                    continue;
                }

                var seen = _seen[(rule, path)] = _seen.GetValueOrDefault((rule, path)) + 1;
                if (seen <= fault.After)
                {
                    continue;
                }

                var hits = _hits.GetValueOrDefault((rule, path));
                if (hits >= fault.Times || (fault.Probability < 1.0 && _random.NextDouble() >= fault.Probability))
                {
                    continue;
                }

                _hits[(rule, path)] = hits + 1;
                taken.Add(fault);
                _injected.Enqueue((path, fault.Kind));
            }
        }

        return taken;
    }
}
