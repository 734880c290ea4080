using System.Net;
using Bundler.Serving.Network;
using Bundler.Testing;

namespace Bundler.Serving.Tests;

/// <summary>The served folder is the boundary: a symbolic link inside it to a file or folder outside serves nothing.</summary>
public sealed class StaticFolderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public StaticFolderTests()
    {
        Directory.CreateDirectory(_temp["served/inner"]);
        Directory.CreateDirectory(_temp["outside"]);
        File.WriteAllText(_temp["served/inner/inside.txt"], "inside");
        File.WriteAllText(_temp["outside/secret.txt"], "secret");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Serve_LinkToFileOutsideTheFolder_NotFound()
    {
        File.CreateSymbolicLink(_temp["served/secret.txt"], _temp["outside/secret.txt"]);
        File.CreateSymbolicLink(_temp["served/relative-secret.txt"], "../outside/secret.txt");
        File.CreateSymbolicLink(_temp["served/passwd"], "/etc/passwd");

        var statuses = await GetAsync("secret.txt", "relative-secret.txt", "passwd");

        Assert.All(statuses, s => Assert.Equal((HttpStatusCode.NotFound, ""), s));
    }

    [Fact]
    public async Task Serve_LinkToFolderOutsideTheFolder_NotFound()
    {
        Directory.CreateSymbolicLink(_temp["served/out"], _temp["outside"]);
        Directory.CreateSymbolicLink(_temp["served/etc"], "/etc");
        // A link that stays inside but whose target passes through the link that leaves.
        File.CreateSymbolicLink(_temp["served/inner/through"], "../out/secret.txt");

        var statuses = await GetAsync("out/secret.txt", "etc/passwd", "inner/through");

        Assert.All(statuses, s => Assert.Equal((HttpStatusCode.NotFound, ""), s));
    }

    [Fact]
    public async Task Serve_LinksInsideTheFolder_StillServed()
    {
        File.CreateSymbolicLink(_temp["served/alias.txt"], "inner/inside.txt");
        Directory.CreateSymbolicLink(_temp["served/alias"], _temp["served/inner"]);

        var statuses = await GetAsync("alias.txt", "alias/inside.txt", "inner/inside.txt");

        Assert.All(statuses, s => Assert.Equal((HttpStatusCode.OK, "inside"), s));
    }

    /// <summary>A folder served through a link of its own is served in full: the boundary is the folder the link names.</summary>
    [Fact]
    public async Task Serve_RootThatIsALink_ServesItsFiles()
    {
        Directory.CreateSymbolicLink(_temp["root-link"], _temp["served"]);

        var statuses = await GetFromAsync(_temp["root-link"], "inner/inside.txt");

        Assert.Equal([(HttpStatusCode.OK, "inside")], statuses);
    }

    private Task<List<(HttpStatusCode, string)>> GetAsync(params string[] paths) => GetFromAsync(_temp["served"], paths);

    private static async Task<List<(HttpStatusCode, string)>> GetFromAsync(string root, params string[] paths)
    {
        await using var server = await StaticFileServer.StartAsync(root, new StaticFileServerOptions { Network = NetworkProfile.Unthrottled }, onRequest: null, CancellationToken.None);
        using var client = new HttpClient();
        var results = new List<(HttpStatusCode, string)>();
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(new Uri(server.Http1Url!, path));
            results.Add((response.StatusCode, response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : ""));
        }

        return results;
    }
}
