using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Bundler.Core.Download;
using Bundler.Testing;
using Bundler.Testing.Http;

namespace Bundler.Core.Tests.Download.Transfer;

/// <summary>
/// A server that breaks off the first response, then answers the resume with a 206 for other bytes than asked: another
/// start, or a file of another length. Those bytes are never stitched in; the file is fetched whole again.
/// </summary>
public sealed class LyingResumeTests : IDisposable
{
    private const int Size = 1_000_000;
    private const int BrokenAt = 400_000;
    private readonly TempDirectory _temp = new();
    private readonly byte[] _file = new byte[Size];

    public LyingResumeTests() => new Random(11).NextBytes(_file);

    // Segments 1: a plain download resumed; 8: the ranged path, whose first range is resumed.
    [Theory]
    [InlineData("another start", 1)]
    [InlineData("another length", 1)]
    [InlineData("another start", 8)]
    [InlineData("another length", 8)]
    public async Task Download_ResumeAnsweredWithOtherBytes_FetchesTheWholeFileAgain(string lie, int segments)
    {
        var plainGets = 0;
        await using var server = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            context.Response.Headers.ETag = "\"v1\"";
            context.Response.Headers.AcceptRanges = "bytes";
            if (context.Request.Headers.Range.Count == 0)
            {
                context.Response.ContentLength = Size;
                if (Interlocked.Increment(ref plainGets) == 1)
                {
                    await context.Response.Body.WriteAsync(_file.AsMemory(0, BrokenAt));
                    await context.Response.Body.FlushAsync();
                    context.Abort();
                    return;
                }

                await context.Response.Body.WriteAsync(_file);
                return;
            }

            // "bytes=N-" or "bytes=N-M": answer from another offset, or claim another total length.
            var from = long.Parse(context.Request.Headers.Range.ToString()["bytes=".Length..].Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);
            var start = lie == "another start" ? from + 1000 : from;
            var total = lie == "another length" ? Size + 10 : Size;
            context.Response.StatusCode = StatusCodes.Status206PartialContent;
            context.Response.Headers.ContentRange = $"bytes {start}-{Size - 1}/{total}";
            context.Response.ContentLength = Size - start;
            await context.Response.Body.WriteAsync(_file.AsMemory((int)start));
        }));
        using var client = BundlerHttpClient.Create();
        var options = new DownloadOptions { CacheDirectory = _temp["cache"], RetryDelay = TimeSpan.FromMilliseconds(10), Segments = segments };

        var result = (await new DownloadEngine(client, options).DownloadAsync([new DownloadRequest(server.Url("f.bin"))]))[0];

        Assert.Equal(_file, await File.ReadAllBytesAsync(result.Path));
        Assert.Equal(2, plainGets);
        // The log is in the order responses ended (the aborted one may be logged last): counted, not ordered.
        await server.WaitForRequestsAsync(_ => true, 3);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(1, server.Count(r => r.Range is not null));
    }

    [Fact]
    public async Task Download_WholeFileAnsweredWithPartOfIt_FailsNamingTheUrlAndKeepsNothing()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status206PartialContent;
            context.Response.Headers.ContentRange = $"bytes 1000-{Size - 1}/{Size}";
            context.Response.ContentLength = Size - 1000;
            await context.Response.Body.WriteAsync(_file.AsMemory(1000));
        }));
        using var client = BundlerHttpClient.Create();
        var options = new DownloadOptions { CacheDirectory = _temp["cache"], RetryDelay = TimeSpan.FromMilliseconds(10), MaxRetries = 2 };

        var error = await Assert.ThrowsAsync<DownloadException>(() => new DownloadEngine(client, options).DownloadAsync([new DownloadRequest(server.Url("f.bin"))]));

        Assert.Contains(server.Url("f.bin").ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("a request for the whole file with part of it", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
        Assert.Empty(Directory.GetFiles(_temp["cache"], "*", SearchOption.AllDirectories));
    }

    public void Dispose() => _temp.Dispose();
}
