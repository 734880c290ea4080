using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Bundler.Loader.Format;
using Bundler.Loader.Unpacking;

namespace Bundler.Loader.Loading.Modes;

/// <summary>
/// Fetches the runs of every share in manifest order and unpacks the shares in the order their first run arrives, on a
/// few readers at once, so the unpacking starts with the first bytes and never waits for a slower request ahead of it.
/// At most <c>maxConcurrentRequests</c> requests are in flight, and at most that many runs plus one per reader are
/// held fetched but not yet read, whatever the set's size.
/// </summary>
internal static class RangeShareUnpacker
{
    /// <summary>Unpacks every share under <paramref name="root"/>; <paramref name="fetch"/> fetches and decodes a run that needs a request, <paramref name="decodeCached"/> one already at hand.</summary>
    public static async Task UnpackAsync(
        IReadOnlyList<RangeShare> shares,
        Manifest manifest,
        string root,
        int maxConcurrentRequests,
        Func<FrameGroup, CancellationToken, Task<DecodedFrame[]>> fetch,
        Func<FrameGroup, CancellationToken, DecodedFrame[]> decodeCached,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Two readers at least: one may wait for a run not yet requested while another reads the runs holding the slots.
        var readerCount = Math.Min(shares.Count, Math.Max(2, Environment.ProcessorCount));
        using var slots = new SemaphoreSlim(maxConcurrentRequests + readerCount);
        using var requests = new SemaphoreSlim(maxConcurrentRequests);
        var runs = shares.Select(_ => Channel.CreateUnbounded<Task<DecodedFrame[]>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true })).ToArray();
        var ready = Channel.CreateUnbounded<int>();
        var done = 0;
        Exception? firstFailure = null;

        var producer = Task.Run(() => StopAllOnFailureAsync(ProduceAsync), stop.Token);
        var readers = Enumerable.Range(0, readerCount).Select(_ => Task.Run(() => StopAllOnFailureAsync(ReadAsync), stop.Token)).ToArray();
        var all = readers.Append(producer).ToArray();
        try
        {
            await Task.WhenAll(all);
        }
        catch
        {
            await stop.CancelAsync();
            await Task.WhenAll(all.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            foreach (var channel in runs)
            {
                channel.Writer.TryComplete();
                await using var leftover = new DecodedFrameStream(channel.Reader);
                await leftover.DrainAsync();
            }

            // The first real failure (a refusal, a network error) is what stopped the others; report it, not their cancellation.
            if (Volatile.Read(ref firstFailure) is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            throw;
        }

        async Task StopAllOnFailureAsync(Func<CancellationToken, Task> work)
        {
            try
            {
                await work(stop.Token);
            }
            catch (Exception ex)
            {
                await FailAsync(ex);
                throw;
            }
        }

        // A run that fails stops the load at once, even while its share still waits for an earlier run.
        async Task FailAsync(Exception ex)
        {
            if (ex is not OperationCanceledException)
            {
                Interlocked.CompareExchange(ref firstFailure, ex, null);
            }

            await stop.CancelAsync();
        }

        async Task ProduceAsync(CancellationToken token)
        {
            try
            {
                for (var i = 0; i < shares.Count; i++)
                {
                    var share = i;
                    var groups = shares[i].Groups;
                    for (var g = 0; g < groups.Count; g++)
                    {
                        await slots.WaitAsync(token);
                        var group = groups[g];
                        var run = group.Cached
                            ? Task.Run(() => decodeCached(group, token), token)
                            : Task.Run(() => FetchAsync(group, token), token);
                        await runs[i].Writer.WriteAsync(run, token);
                        _ = run.ContinueWith(t => FailAsync(t.Exception!.InnerException!), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                        if (g == 0)
                        {
                            _ = run.ContinueWith(_ => ready.Writer.TryWrite(share), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                        }
                    }

                    if (groups.Count == 0)
                    {
                        ready.Writer.TryWrite(share);
                    }

                    runs[i].Writer.TryComplete();
                }
            }
            catch (Exception ex)
            {
                ready.Writer.TryComplete(ex);
                throw;
            }
        }

        async Task<DecodedFrame[]> FetchAsync(FrameGroup group, CancellationToken token)
        {
            await requests.WaitAsync(token);
            try
            {
                return await fetch(group, token);
            }
            finally
            {
                requests.Release();
            }
        }

        async Task ReadAsync(CancellationToken token)
        {
            while (await ready.Reader.WaitToReadAsync(token))
            {
                if (!ready.Reader.TryRead(out var share))
                {
                    continue;
                }

                await using var tar = new DecodedFrameStream(runs[share].Reader, () => slots.Release());
                var reader = new TarPayloadReader(tar, manifest, shares[share].Packages, root, shares[share].EndsWithTrailer);
                await reader.ReadAsync(token);
                if (Interlocked.Increment(ref done) == shares.Count)
                {
                    ready.Writer.TryComplete();
                }
            }
        }
    }
}
