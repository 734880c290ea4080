using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Bundler.Core.Sources;
using Bundler.Loader;
using Bundler.Testing.Feeds;
using Bundler.Testing.Http;
using Bundler.Testing.Sources;

namespace Bundler.Core.Tests.Sources;

/// <summary>Metadata requests against a real feed on 127.0.0.1 that fails some of them: transient answers are tried again.</summary>
public sealed class MetadataRetryTests : IDisposable
{
    private const string ServiceIndexPath = "/v3/index.json";

    private readonly PackageSetHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static string BundleJson(LoopbackServer server) => $$"""
        {
          "sources": { "feed": { "type": "nuget", "url": "{{NuGetTestFeed.ServiceIndex(server)}}", "targetFramework": "net8.0" } },
          "packages": [ { "source": "feed", "id": "A", "version": "1.0.0" } ]
        }
        """;

    /// <summary>Answers the first <paramref name="failures"/> requests for <paramref name="path"/> with <paramref name="status"/>.</summary>
    private static Action<WebApplication> Failing(string path, int status, int failures) => app =>
    {
        var seen = 0;
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == path && Interlocked.Increment(ref seen) <= failures)
            {
                context.Response.StatusCode = status;
                return;
            }

            await next(context);
        });
    };

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(429)]
    [InlineData(408)]
    public async Task Resolve_FeedAnswersTransientStatusOnce_RetriesAndSucceeds(int status)
    {
        await using var server = await new NuGetTestFeed().Add("A", "1.0.0").StartAsync(Failing(ServiceIndexPath, status, failures: 1));

        var set = await _harness.ResolveAsync(BundleJson(server));

        Assert.Equal(["A 1.0.0"], PackageSetHarness.Names(set));
        Assert.Equal([status, 200], server.Requests.Where(r => r.Path == ServiceIndexPath).Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Resolve_FeedAlwaysAnswers503_FailsNamingTheUrlAfterEveryRetry()
    {
        await using var server = await new NuGetTestFeed().Add("A", "1.0.0").StartAsync(Failing(ServiceIndexPath, 503, failures: int.MaxValue));

        var error = await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync(BundleJson(server)));

        Assert.Contains($"Source 'feed' answered 503 Service Unavailable for {NuGetTestFeed.ServiceIndex(server)}", error.Message, StringComparison.Ordinal);
        Assert.Equal(1 + SourceHttp.RetryPolicy.MaxRetries, server.CountPath(ServiceIndexPath));
    }

    [Theory]
    [InlineData(404)]
    [InlineData(401)]
    [InlineData(400)]
    public async Task Resolve_FeedAnswersPermanentStatus_AsksOnce(int status)
    {
        await using var server = await new NuGetTestFeed().Add("A", "1.0.0").StartAsync(Failing(ServiceIndexPath, status, failures: int.MaxValue));

        await Assert.ThrowsAsync<BundleException>(() => _harness.ResolveAsync(BundleJson(server)));

        Assert.Equal(1, server.CountPath(ServiceIndexPath));
    }
}
