using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;
using Bundler.Loader.Format;
using Bundler.Loader.Http;
using Bundler.Loader.Loading;
using Bundler.Serving.Faults;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Loading;

/// <summary>
/// Bodies that break off (reset, truncated, stalled) are resumed from the byte received, in every mode; a resume the
/// server answers with the whole file is never joined; files mode fetches a wrong archive once more.
/// </summary>
public sealed class ResumeTests : IAsyncLifetime
{
    private const string Bundle = "/packages.tar.zst";
    private const long StrikeAt = 150_000;
    private const long RangeStrikeAt = 20_000;
    private static readonly TimeSpan ShortStall = TimeSpan.FromSeconds(1);

    /// <summary>Short only where a stall is the fault: on a busy machine a healthy response can pause for half a second.</summary>
    private static TimeSpan StallTimeoutFor(FaultKind kind) => kind == FaultKind.StallBody ? ShortStall : TimeSpan.FromSeconds(30);

    private PublishedPackages _published = null!;

    public async Task InitializeAsync() => _published = await PublishedPackages.CreateAsync();

    public Task DisposeAsync()
    {
        _published.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The large package's archive: big enough to break off in the middle.</summary>
    private string LargeArchive => "/" + PublishLayout.LegacyArchivePath(_published.Manifest.Packages.Single(p => p.Id == PublishedPackages.LargeId));

    private long LengthOf(string path) => new FileInfo(Path.Combine(_published.Folder, path.TrimStart('/'))).Length;

    /// <summary>
    /// One request on <paramref name="path"/> broke off and one resumed it: the resume asks for the rest of the same
    /// bytes from where the received ones end (exactly the strike point, or before it when a reset lost bytes in flight),
    /// and the loader received every byte the server sent, but those lost, once.
    /// </summary>
    private async Task AssertResumedWhereTheReceivedBytesEndAsync(LoopbackServer server, LoadReport report, string path, FaultKind kind, long strikeAt)
    {
        // A stalled request is logged when the server notices that the client left.
        await server.WaitForRequestsAsync(r => r.Path == path && r.ResponseBytes == strikeAt);
        var requests = server.Requests.Where(r => r.Path == path).Select(r => (Request: r, Range: r.Range is null ? (First: 0L, Last: LengthOf(path) - 1) : LoadModeTests.ParseRange(r.Range))).ToList();
        var pair = requests.GroupBy(r => r.Range.Last).Where(g => g.Count() > 1).ToList();
        var (broken, resume) = Assert.Single(pair).OrderBy(r => r.Range.First).ToArray() switch { [var b, var r] => (b, r), var all => throw new Xunit.Sdk.XunitException($"{all.Length} requests end at the same byte") };
        var received = resume.Range.First - broken.Range.First;
        if (kind == FaultKind.ResetMidBody)
        {
            Assert.InRange(received, 0, strikeAt);
        }
        else
        {
            Assert.Equal(strikeAt, received);
        }

        Assert.Equal(strikeAt, broken.Request.ResponseBytes);
        Assert.Equal((206, broken.Range.Last - resume.Range.First + 1), (resume.Request.StatusCode, resume.Request.ResponseBytes));
        var lost = broken.Request.ResponseBytes - received;
        Assert.Equal(server.Requests.Sum(r => r.ResponseBytes) - lost, report.TransferredBytes);
        Assert.Equal(1, report.Retries);
    }

    [Theory]
    [InlineData(LoadMode.Bundle, nameof(FaultKind.ResetMidBody))]
    [InlineData(LoadMode.Bundle, nameof(FaultKind.TruncatedBody))]
    [InlineData(LoadMode.Bundle, nameof(FaultKind.StallBody))]
    [InlineData(LoadMode.Files, nameof(FaultKind.ResetMidBody))]
    [InlineData(LoadMode.Files, nameof(FaultKind.TruncatedBody))]
    [InlineData(LoadMode.Files, nameof(FaultKind.StallBody))]
    public async Task Load_BrokenWholeFileBody_ResumedFromTheByteReceived(LoadMode mode, string kindName)
    {
        var kind = Enum.Parse<FaultKind>(kindName);
        var path = mode == LoadMode.Files ? LargeArchive : Bundle;
        var plan = new FaultPlan(new Fault(kind, path) { AtByte = StrikeAt });
        await using var server = await FaultyServer.ServeDirectoryAsync(_published.Folder, plan);
        var target = _published.NewTarget($"resume-{mode}-{kind}");

        var report = await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = mode, StallTimeout = StallTimeoutFor(kind) });

        TreeAssert.Holds(target, _published.ExpectedTree);
        LoadAssert.NothingBesideTarget(target);
        Assert.Equal([(path, kind)], plan.Injected);
        await AssertResumedWhereTheReceivedBytesEndAsync(server, report, path, kind, StrikeAt);
        Assert.Contains("(1 retry)", report.ToSummary(), StringComparison.Ordinal);
        Assert.Contains("\"retries\":1", report.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(FaultKind.ResetMidBody))]
    [InlineData(nameof(FaultKind.TruncatedBody))]
    [InlineData(nameof(FaultKind.StallBody))]
    public async Task RangesMode_BrokenRangeBody_IsResumedForTheRestOfThatRange(string kindName)
    {
        var kind = Enum.Parse<FaultKind>(kindName);
        // Every range after the head holds at least one of the large package's 64 KiB frames, well over the strike point.
        var plan = new FaultPlan(new Fault(kind, Bundle) { After = 1, AtByte = RangeStrikeAt });
        await using var server = await FaultyServer.ServeDirectoryAsync(_published.Folder, plan);
        var target = _published.NewTarget($"resume-ranges-{kind}");

        var report = await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions
        {
            Mode = LoadMode.Ranges,
            StallTimeout = StallTimeoutFor(kind),
            MaxRangeRequestSize = 128 * 1024,
        });

        TreeAssert.Holds(target, _published.ExpectedTree);
        Assert.Equal(LoadMode.Ranges, report.Mode);
        Assert.Equal([(Bundle, kind)], plan.Injected);
        await AssertResumedWhereTheReceivedBytesEndAsync(server, report, Bundle, kind, RangeStrikeAt);
    }

    [Fact]
    public async Task FilesMode_ServerIgnoringRange_FetchesTheBrokenArchiveAgainFromTheStart()
    {
        var plan = new FaultPlan(new Fault(FaultKind.NoRange, Times: int.MaxValue), new Fault(FaultKind.ResetMidBody, LargeArchive) { AtByte = StrikeAt });
        await using var server = await FaultyServer.ServeDirectoryAsync(_published.Folder, plan);
        var target = _published.NewTarget("norange-files");

        var report = await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = LoadMode.Files });

        TreeAssert.Holds(target, _published.ExpectedTree);
        await server.WaitForRequestsAsync(r => r.Path == LargeArchive, 3);
        // The broken body, the resume answered with the whole file (dropped), and the fetch from the start.
        var requests = server.Requests.Where(r => r.Path == LargeArchive).ToList();
        Assert.Equal([200, 200, 200], requests.Select(r => r.StatusCode));
        Assert.Equal((StrikeAt, LengthOf(LargeArchive)), (requests[0].ResponseBytes, requests[^1].ResponseBytes));
        Assert.Equal(2, report.Retries);
    }

    [Theory]
    [InlineData(LoadMode.Bundle)]
    [InlineData(LoadMode.Ranges)]
    public async Task Load_ServerIgnoringRangeOnResume_FailsNamingTheUrlWithoutJoiningResponses(LoadMode mode)
    {
        var plan = new FaultPlan(new Fault(FaultKind.NoRange, Times: int.MaxValue), new Fault(FaultKind.ResetMidBody, Bundle) { AtByte = StrikeAt });
        await using var server = await FaultyServer.ServeDirectoryAsync(_published.Folder, plan);
        var target = _published.ExistingTarget("norange-" + mode);

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = mode }));

        Assert.Contains($"GET {server.Url(Bundle)} broke off at byte ", error.Message, StringComparison.Ordinal);
        Assert.Contains("answered the resume from that byte with 200 OK", error.Message, StringComparison.Ordinal);
        LoadAssert.Untouched(target);
    }

    [Fact]
    public async Task BundleMode_BrokenBodyWithoutETagOrLastModified_FailsNamingTheUrlWithoutResuming()
    {
        var plan = new FaultPlan(new Fault(FaultKind.ResetMidBody, Bundle) { AtByte = StrikeAt });
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.Use((context, next) =>
            {
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.Remove(HeaderNames.ETag);
                    context.Response.Headers.Remove(HeaderNames.LastModified);
                    return Task.CompletedTask;
                });
                return next(context);
            });
            app.UseFaults(plan);
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(_published.Folder), ServeUnknownFileTypes = true });
        });
        var target = _published.ExistingTarget("no-validator");

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target));

        Assert.Contains($"GET {server.Url(Bundle)} broke off at byte ", error.Message, StringComparison.Ordinal);
        Assert.Contains("no ETag or Last-Modified", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.CountPath(Bundle));
        LoadAssert.Untouched(target);
    }

    [Fact]
    public async Task FilesMode_ArchiveWithAFlippedBit_IsFetchedAgain()
    {
        var plan = new FaultPlan(new Fault(FaultKind.WrongBytes, LargeArchive));
        await using var server = await FaultyServer.ServeDirectoryAsync(_published.Folder, plan);
        var target = _published.NewTarget("bitflip-once");

        var report = await PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = LoadMode.Files });

        TreeAssert.Holds(target, _published.ExpectedTree);
        Assert.Equal([(LargeArchive, FaultKind.WrongBytes)], plan.Injected);
        Assert.Equal(2, server.CountPath(LargeArchive));
        Assert.Equal(1, report.Retries);
    }

    [Fact]
    public async Task FilesMode_ArchiveWrongEveryTime_RefusedNamingTheUrlAfterOneMoreFetch()
    {
        var plan = new FaultPlan(new Fault(FaultKind.WrongBytes, LargeArchive, Times: int.MaxValue));
        await using var server = await FaultyServer.ServeDirectoryAsync(_published.Folder, plan);
        var target = _published.ExistingTarget("bitflip-always");

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = LoadMode.Files }));

        Assert.Contains(server.Url(LargeArchive).ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("integrity", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.CountPath(LargeArchive));
        LoadAssert.Untouched(target);
    }

    [Theory]
    [InlineData(LoadMode.Bundle, 1)]
    [InlineData(LoadMode.Files, 2)]
    public async Task Load_BodyStallingEveryTime_RefusedAfterTheResumeBudget(LoadMode mode, int fetches)
    {
        var path = mode == LoadMode.Files ? LargeArchive : Bundle;
        var plan = new FaultPlan(new Fault(FaultKind.StallBody, path, Times: int.MaxValue) { AtByte = 1000 });
        await using var server = await FaultyServer.ServeDirectoryAsync(_published.Folder, plan);
        var target = _published.ExistingTarget("stall-always-" + mode);

        var error = await Assert.ThrowsAsync<BundleException>(() => PackageLoader.LoadAsync(server.BaseUri.ToString(), target, new PackageLoadOptions { Mode = mode, StallTimeout = TimeSpan.FromMilliseconds(200) }));

        // Each resumed body stalls 1000 bytes further on.
        var last = 1000 * (1 + ResumingResponseStream.MaxResumes);
        Assert.Contains($"GET {server.Url(path)} broke off at byte {last} (no byte arrived for 0.2 s), after {ResumingResponseStream.MaxResumes} resumes", error.Message, StringComparison.Ordinal);
        Assert.Equal(fetches * (1 + ResumingResponseStream.MaxResumes), plan.InjectedCount(path));
        LoadAssert.Untouched(target);
    }
}
