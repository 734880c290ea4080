using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Bundler.Core.Download.Scheduling;

namespace Bundler.Core.Download.Transfer;

/// <summary>
/// Fetches a file of known length whose server accepts ranges: a large one in segments from the start, any one in
/// more pieces when the run has idle slots (<see cref="TailSplitter"/>). The first response serves the first range,
/// hashed as it arrives; the bytes after that range arrive out of order and are hashed by reading them back. The
/// intervals written are recorded beside the part file as they grow, so that a run killed half-way is resumed by the
/// next one from the bytes that are missing (<see cref="ResumeAsync"/>).
/// </summary>
internal sealed class RangedTransfer(
    DownloadOptions options, ConcurrencyController controller, TailSplitter splitter, string host,
    FileRequests requests, TransferRetries retries, StallTimedBodyReader reader, PartFile part)
{
    private const long MinSegmentSize = 1024 * 1024;

    // No part split off a range at the tail is smaller: whether a split pays is weighed against a request's latency,
    // and this keeps a short-lived latency estimate from splitting a file into a swarm of tiny requests.
    private const long MinSplit = 64 * 1024;

    /// <summary>Fills <paramref name="handle"/> with the file's <paramref name="length"/> bytes and completes <paramref name="hasher"/> with them.</summary>
    /// <param name="first">The answer to the request for the whole file, which serves the first range.</param>
    /// <param name="firstSlot">The slot <paramref name="first"/> was fetched in.</param>
    public async Task RunAsync(HttpResponseMessage first, ConcurrencyController.Slot firstSlot, IncrementalHash hasher, long length, CancellationToken cancellationToken)
    {
        RandomAccess.SetLength(part.Handle, length);
        var count = length >= options.SegmentThreshold ? (int)Math.Clamp(length / MinSegmentSize, 1, options.Segments) : 1;
        var size = (length + count - 1) / count;
        var ranges = Enumerable.Range(0, count).Select(i => new ByteRange(i * size, Math.Min(length, (i + 1) * size))).ToArray();
        await FetchAsync(ranges, first, firstSlot, hasher, [], cancellationToken);
        HashFrom(ranges[0].End, hasher, length, cancellationToken);
    }

    /// <summary>
    /// Fetches the intervals of a killed run's part file that are <paramref name="missing"/>, each by its own request
    /// guarded by the validator it recorded, then hashes the whole file (the bytes it left are checked like new ones).
    /// A server that will not serve a range of that version throws <see cref="RangeNotHonoredException"/>.
    /// </summary>
    public async Task ResumeAsync(IncrementalHash hasher, long length, IReadOnlyList<(long Start, long End)> present, IReadOnlyList<(long Start, long End)> missing, CancellationToken cancellationToken)
    {
        RandomAccess.SetLength(part.Handle, length);
        await FetchAsync([.. missing.Select(m => new ByteRange(m.Start, m.End))], null, null, null, present, cancellationToken);
        HashFrom(0, hasher, length, cancellationToken);
    }

    /// <summary>Fetches <paramref name="ranges"/>; the first may have its response already (<paramref name="first"/>) and be hashed inline.</summary>
    private async Task FetchAsync(ByteRange[] ranges, HttpResponseMessage? first, ConcurrencyController.Slot? firstSlot, IncrementalHash? inline, IReadOnlyList<(long Start, long End)> present, CancellationToken cancellationToken)
    {
        var handle = part.Handle;
        using var group = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pieces = new FilePieces(host, options.Segments, MinSplit, (range, slot) => FetchRangeAsync(handle, range, null, slot, null, group), group.Token);
        part.Track(() => present.Concat(pieces.Written));
        pieces.Add(ranges[0], FetchRangeAsync(handle, ranges[0], first, firstSlot, inline, group));
        foreach (var range in ranges.Skip(1))
        {
            pieces.Add(range, FetchRangeAsync(handle, range, null, null, null, group));
        }

        splitter.Register(pieces);
        try
        {
            await pieces.WhenAllAsync();
        }
        finally
        {
            splitter.Unregister(pieces);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var failures = pieces.Failures.ToList();
        if (failures.Count > 0)
        {
            ExceptionDispatchInfo.Throw(failures.FirstOrDefault(e => e is not OperationCanceledException) ?? failures[0]);
        }
    }

    /// <summary>Completes <paramref name="hasher"/> with the file's bytes from <paramref name="from"/>, read back.</summary>
    private void HashFrom(long from, IncrementalHash hasher, long length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(FileTransfer.BufferSize);
        try
        {
            for (var offset = from; offset < length;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var read = RandomAccess.Read(part.Handle, buffer.AsSpan(0, (int)Math.Min(FileTransfer.BufferSize, length - offset)), offset);
                if (read == 0)
                {
                    throw new IOException($"{part.Path} ended after {offset} of {length} bytes while being hashed.");
                }

                hasher.AppendData(buffer, 0, read);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Fetches one range, resuming it after a failure; <paramref name="response"/> and <paramref name="slot"/>, when
    /// given, are the request already answered for it. <paramref name="inline"/> hashes the bytes as they arrive (the
    /// range that starts the file). A failure for good cancels <paramref name="group"/>, the file's other ranges.
    /// </summary>
    private async Task FetchRangeAsync(SafeFileHandle handle, ByteRange range, HttpResponseMessage? response, ConcurrencyController.Slot? slot, IncrementalHash? inline, CancellationTokenSource group)
    {
        var cancellationToken = group.Token;
        var buffer = ArrayPool<byte>.Shared.Rent(FileTransfer.BufferSize);
        var succeeded = false;
        try
        {
            while (range.Remaining > 0)
            {
                slot ??= await controller.AcquireAsync(host, cancellationToken);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(options.StallTimeout);
                try
                {
                    if (response is null)
                    {
                        using var request = requests.New(range.Position, range.End - 1);
                        response = await requests.SendAsync(request, attempt.Token);
                        if (!FileRequests.Continues(response, range.Position, requests.Length))
                        {
                            throw new RangeNotHonoredException();
                        }
                    }

                    range.ResponseStarted();
                    await using var body = await response.Content.ReadAsStreamAsync(attempt.Token);
                    var meter = reader.NewMeter();
                    for (var wanted = range.Next(FileTransfer.BufferSize); wanted > 0; wanted = range.Next(FileTransfer.BufferSize))
                    {
                        var position = range.Position;
                        var (read, failure) = await reader.FillAsync(body, buffer.AsMemory(0, wanted), position, attempt, meter, range);
                        RandomAccess.Write(handle, buffer.AsSpan(0, read), position);
                        inline?.AppendData(buffer, 0, read);
                        range.Advance(read);
                        part.Progressed();
                        failure?.Throw();
                        // Fewer bytes than wanted: the body ended early, unless a split moved the range's end meanwhile.
                        if (read < wanted && range.Remaining > 0)
                        {
                            throw new TransientFailure($"the body of bytes {range.Start}-{range.End - 1} ended at byte {range.Position}", pushBack: true);
                        }
                    }

                    slot.Succeeded();
                    splitter.Finished(host, range.Rate);
                    succeeded = true;
                }
                catch (Exception ex) when (retries.IsTransient(ex, cancellationToken, out var failure))
                {
                    if (failure.PushBack)
                    {
                        slot.PushedBack();
                    }

                    Release(ref response, ref slot, offerSlot: false);
                    await retries.BackoffAsync(failure, cancellationToken);
                }
                finally
                {
                    // Offered to a split only after a success: after a failure for good the file is about to be
                    // cancelled, and its own ranges must not be split again first.
                    Release(ref response, ref slot, offerSlot: succeeded);
                }
            }
        }
        catch (Exception)
        {
            await group.CancelAsync();
            throw;
        }
        finally
        {
            Release(ref response, ref slot, offerSlot: false);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <param name="offerSlot">False after a failure: the range asks for a slot again after backing off (or its file is
    /// being cancelled), and its slot is not offered to a split meanwhile.</param>
    private static void Release(ref HttpResponseMessage? response, ref ConcurrencyController.Slot? slot, bool offerSlot)
    {
        response?.Dispose();
        response = null;
        if (offerSlot)
        {
            slot?.Dispose();
        }
        else
        {
            slot?.Return();
        }

        slot = null;
    }
}
