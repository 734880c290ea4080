using System.Net;
using System.Net.Http.Headers;
using Bundler.Testing;
using Bundler.Testing.Http;

namespace Bundler.Serving.Tests;

public sealed class LoopbackServerTests
{
    [Fact]
    public async Task Serve_WholeAndRangeRequests_RecordsEveryRequest()
    {
        using var temp = new TempDirectory();
        var bytes = new byte[100_000];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(Path.Combine(temp.Path, "a.bin"), bytes);
        await using var server = await LoopbackServer.ServeDirectoryAsync(temp.Path);
        using var client = new HttpClient();

        var whole = await client.GetByteArrayAsync(server.Url("a.bin"));
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Url("a.bin"));
        request.Headers.Range = new RangeHeaderValue(10, 19);
        using var partial = await client.SendAsync(request);

        Assert.Equal(bytes, whole);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes.AsSpan(10, 10).ToArray(), await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, server.CountPath("/a.bin"));
        Assert.Contains(server.Requests, r => r.Range == "bytes=10-19" && r.StatusCode == 206 && r.ResponseBytes == 10);
        Assert.Contains(server.Requests, r => r.Range is null && r.ResponseBytes == bytes.Length);
    }
}
