using Bundler.Core.Publishing;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Loader.Loading.Modes;
using Bundler.Loader.Unpacking;
using Bundler.Serving;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bundler.Loader.Tests.Loading.Modes;

/// <summary>
/// Ranges mode unpacks its shares in the order their bytes arrive: a held-back first request does not hold back the
/// rest of the load, and a failure anywhere stops every share with the target untouched.
/// </summary>
public sealed class RangeShareTests : IAsyncLifetime, IDisposable
{
    private const int PackageCount = 60;
    private const int OthersBeforeRelease = 12;
    private static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _temp = new();
    private string _publish = null!;
    private Manifest _manifest = null!;

    public async Task InitializeAsync()
    {
        var random = new Random(7);
        var archives = Directory.CreateDirectory(_temp["archives"]).FullName;
        var inputs = new List<PackageInput>();
        for (var i = 0; i < PackageCount; i++)
        {
            var content = new ArchiveContent();
            var bytes = new byte[30_000 + (i % 7) * 5_000];
            random.NextBytes(bytes);
            content.Add($"lib/data{i}.bin", bytes);
            content.Add("readme.txt", System.Text.Encoding.UTF8.GetBytes($"package {i}"));
            inputs.Add(new PackageInput { Id = $"Share.{i:D2}", Version = "1.0.0", ArchivePath = TestArchives.Zip(Path.Combine(archives, $"Share.{i:D2}.1.0.0.zip"), content) });
        }

        var result = await LegacyPublishFolder.WriteAsync(inputs, _temp["publish"], new BundleWriterOptions { MaxFrameSize = 64 * 1024 });
        _publish = result.Location;
        _manifest = result.Bundle.Manifest;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Plan_ManyPackages_SharesHoldEveryPackageOnceInOrderGrowingFromSmallWithTheTrailerLast()
    {
        var shares = RangeShare.Plan(_manifest, _manifest.Packages, maxRequestSize: 4L * 1024 * 1024, cachedPayload: 0);

        Assert.Equal(_manifest.Packages, shares.SelectMany(s => s.Packages));
        Assert.True(shares.Count >= 3, $"{shares.Count} shares");
        Assert.Equal(Enumerable.Repeat(false, shares.Count - 1).Append(true), shares.Select(s => s.EndsWithTrailer));
        var sizes = shares.Select(s => s.Groups.Sum(g => g.Length)).ToList();
        Assert.True(sizes[0] < sizes[1], $"share sizes {string.Join(", ", sizes)}");
        foreach (var share in shares)
        {
            var frames = share.Groups.SelectMany(g => Enumerable.Range(g.First, g.Count)).ToList();
            var own = share.Packages.SelectMany(p => Enumerable.Range(p.FirstFrame, p.FrameCount)).ToList();
            if (share.EndsWithTrailer)
            {
                own.Add(_manifest.Frames.Count - 1);
            }

            Assert.Equal(own, frames);
        }
    }

    [Fact]
    public void Plan_ASubsetOfPackages_TheTrailerIsInTheLastShareAndNothingElseIsFetched()
    {
        var wanted = _manifest.Packages.Where((_, i) => i % 9 == 4).ToList();

        var shares = RangeShare.Plan(_manifest, wanted, maxRequestSize: 64 * 1024, cachedPayload: 0);

        Assert.Equal(wanted, shares.SelectMany(s => s.Packages));
        var fetched = shares.SelectMany(s => s.Groups).SelectMany(g => Enumerable.Range(g.First, g.Count)).ToList();
        Assert.Equal(wanted.SelectMany(p => Enumerable.Range(p.FirstFrame, p.FrameCount)).Append(_manifest.Frames.Count - 1), fetched);
        Assert.Contains(shares[^1].Groups, g => g.First + g.Count == _manifest.Frames.Count);
    }

    [Fact]
    public async Task RangesMode_FirstRequestHeldBack_LaterSharesAreFetchedAndUnpackedMeanwhile()
    {
        var hold = new HeldFirstRange(OthersBeforeRelease);
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.Use(hold.Middleware);
            app.UseStaticFolder(_publish);
        });
        var target = Path.Combine(_temp["out-held"], "target");

        await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, Options());

        Assert.True(hold.ReleasedByOthers, $"the held request waited {HoldLimit.TotalSeconds} s: only {hold.Completed} other ranges were served meanwhile");
        LoadAssert.SameTree(await UnpackAsync(), target);
        LoadAssert.NothingBesideTarget(target);
    }

    [Fact]
    public async Task RangesMode_ALaterShareIsCorruptWhileTheFirstIsHeld_FailsNamingTheBundleAndLeavesTheTarget()
    {
        var hold = new HeldFirstRange(int.MaxValue) { CorruptAfter = 6 };
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.Use(hold.Middleware);
            app.UseStaticFolder(_publish);
        });
        var target = Path.Combine(_temp["out-corrupt"], "target");
        Directory.CreateDirectory(Path.Combine(target, "mine"));
        File.WriteAllText(Path.Combine(target, "mine", "keep.txt"), "mine");

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, Options()));

        Assert.Contains("packages.tar.zst", error.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
        Assert.True(await hold.AbortedWhileHeld.WaitAsync(HoldLimit), "the failure waited for the held request instead of cancelling it");
        LoadAssert.Untouched(target);
        LoadAssert.NothingBesideTarget(target);
    }

    private static PackageLoadOptions Options() => new() { Mode = LoadMode.Ranges, MaxConcurrentRequests = 2, MaxRangeRequestSize = 64 * 1024 };

    private async Task<string> UnpackAsync()
    {
        var unpacked = _temp["unpacked"];
        await using var bundle = File.OpenRead(Path.Combine(_publish, "packages.tar.zst"));
        await BundleReader.UnpackAsync(bundle, unpacked);
        return unpacked;
    }

    /// <summary>
    /// Holds back the response to the first range request past the head until <c>others</c> other ranges have been
    /// served (or <see cref="HoldLimit"/> passes); optionally flips a byte in the body of a later range.
    /// </summary>
    private sealed class HeldFirstRange(int others)
    {
        private readonly TaskCompletionSource _enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;
        private int _completed;
        private int _seen;

        public int? CorruptAfter { get; init; }

        public int Completed => Volatile.Read(ref _completed);

        public bool ReleasedByOthers { get; private set; }

        /// <summary>Completes with true when the client gave up the held request, with false when the hold ended otherwise.</summary>
        public Task<bool> AbortedWhileHeld => _aborted.Task;

        public async Task Middleware(HttpContext context, RequestDelegate next)
        {
            var range = context.Request.Headers.Range.ToString();
            if (range.Length == 0 || range.StartsWith("bytes=0-", StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            if (Interlocked.CompareExchange(ref _held, 1, 0) == 0)
            {
                var first = await Task.WhenAny(_enough.Task, Task.Delay(HoldLimit, context.RequestAborted));
                ReleasedByOthers = first == _enough.Task;
                _aborted.TrySetResult(context.RequestAborted.IsCancellationRequested);
                await next(context);
                return;
            }

            if (Interlocked.Increment(ref _seen) == CorruptAfter)
            {
                context.Response.Body = new FlipOneByte(context.Response.Body, at: 200);
            }

            await next(context);
            if (Interlocked.Increment(ref _completed) >= others)
            {
                _enough.TrySetResult();
            }
        }
    }

    private sealed class FlipOneByte(Stream inner, long at) : Stream
    {
        private long _position;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var copy = buffer.ToArray();
            if (at >= _position && at < _position + copy.Length)
            {
                copy[at - _position] ^= 0x5A;
            }

            _position += copy.Length;
            await inner.WriteAsync(copy, cancellationToken);
        }
    }
}
