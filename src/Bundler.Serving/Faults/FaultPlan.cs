using System.Collections.Concurrent;
using System.Text;

namespace Bundler.Serving.Faults;

/// <summary>
/// The faults a server injects, and a record of every one it did inject. Rules are checked in order for each request;
/// each rule counts its hits per path. A request makes one draw in [0, 1), and the rules with a probability below 1
/// that it matches share that draw in stacked bands, so they exclude each other and their chances add up.
/// </summary>
/// <remarks>
/// The draw comes from the seed, the path, the Range header and how many such requests came before, not from a shared
/// random sequence: concurrent clients get the same faults on the same requests in every run with the same seed.
/// </remarks>
internal sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(int Rule, string Path), int> _hits = [];
    private readonly Dictionary<(int Rule, string Path), int> _seen = [];
    private readonly Dictionary<(string Path, string? Range), int> _requests = [];
    private readonly ConcurrentQueue<(string Path, FaultKind Kind)> _injected = new();

    public FaultPlan(IEnumerable<Fault> faults, int seed = 1)
    {
        Faults = [.. faults];
        Seed = seed;
    }

    public FaultPlan(params Fault[] faults) : this(faults, seed: 1) { }

    public IReadOnlyList<Fault> Faults { get; }

    public int Seed { get; }

    /// <summary>Every injected fault, in order.</summary>
    public IReadOnlyList<(string Path, FaultKind Kind)> Injected => [.. _injected];

    public int InjectedCount(string path) => _injected.Count(i => i.Path == path);

    public int InjectedCount(FaultKind kind) => _injected.Count(i => i.Kind == kind);

    /// <summary>The faults that hit this request. They count as injected once <see cref="Record"/> says they took effect.</summary>
    public IReadOnlyList<Fault> Take(string path, string? range = null)
    {
        var taken = new List<Fault>();
        lock (_gate)
        {
            var occurrence = _requests[(path, range)] = _requests.GetValueOrDefault((path, range)) + 1;
            var draw = Draw(path, range, occurrence);
            var band = 0.0;
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

                if (fault.Probability < 1.0)
                {
                    var lower = band;
                    band += fault.Probability;
                    if (draw < lower || draw >= band)
                    {
                        continue;
                    }
                }

                var hits = _hits.GetValueOrDefault((rule, path));
                if (hits >= fault.Times)
                {
                    continue;
                }

                _hits[(rule, path)] = hits + 1;
                taken.Add(fault);
            }
        }

        return taken;
    }

    public void Record(string path, FaultKind kind) => _injected.Enqueue((path, kind));

    /// <summary>A uniform number in [0, 1) fixed by the seed and the request (FNV-1a, then the splitmix64 finalizer).</summary>
    private double Draw(string path, string? range, int occurrence)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"{Seed}\n{path}\n{range}\n{occurrence}"))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }
}
