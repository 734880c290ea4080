namespace Bundler.Core.Download;

/// <summary>
/// Puts request slots that would idle at the tail of a run to work: when a slot frees and no download waits for it, the
/// largest unread range of a file still being fetched from that host is split, and the slot fetches the back half.
/// Without it the last large files of a run each finish on one connection while the others idle; sizes are rarely known
/// before the first response, so ordering largest first cannot prevent that. A host whose server once refused a range
/// (the whole file, or other bytes, in answer) gets no more ranged fetches in the run: each refusal costs a file's
/// restart.
/// </summary>
internal sealed class TailSplitter
{
    private readonly Lock _gate = new();
    private readonly List<FilePieces> _files = [];
    private readonly HashSet<string> _refusingHosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrencyController _controller;

    public TailSplitter(ConcurrencyController controller)
    {
        _controller = controller;
        controller.Idle += OnIdle;
    }

    public void Register(FilePieces file)
    {
        lock (_gate)
        {
            _files.Add(file);
        }
    }

    public void Unregister(FilePieces file)
    {
        lock (_gate)
        {
            _files.Remove(file);
        }
    }

    public void RangesRefused(string host)
    {
        lock (_gate)
        {
            _refusingHosts.Add(host);
        }
    }

    public bool RefusesRanges(string host)
    {
        lock (_gate)
        {
            return _refusingHosts.Contains(host);
        }
    }

    private void OnIdle(string host)
    {
        while (_controller.TryAcquireIdle(host) is { } slot)
        {
            FilePieces[] candidates;
            lock (_gate)
            {
                candidates = _refusingHosts.Contains(host) ? [] : [.. _files.Where(f => string.Equals(f.Host, host, StringComparison.OrdinalIgnoreCase))];
            }

            var split = candidates.Select(f => (File: f, Bytes: f.Splittable)).Where(c => c.Bytes > 0).OrderByDescending(c => c.Bytes)
                .Any(c => c.File.TrySplit(slot));
            if (!split)
            {
                slot.Return();
                return;
            }
        }
    }
}
