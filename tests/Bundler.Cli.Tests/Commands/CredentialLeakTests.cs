using System.Text;
using Bundler.Loader.Format;
using Bundler.Testing;
using Bundler.Testing.Feeds;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Cli.Tests.Commands;

/// <summary>
/// A feed's password (user:secret, from a nuget.config) is sent only to the origin it was configured for: scheme,
/// host and port, so another port on the same machine is another host. It is never printed (plain progress lines,
/// errors, --json), never written (bundle.lock.json, the bundle's manifest, the publish folder, the download cache),
/// and not sent along a redirect to another origin. A URL in bundle.json that carries credentials is refused.
/// </summary>
public sealed class CredentialLeakTests : IDisposable
{
    private const string Password = "secret";
    private static readonly string BasicHeader = Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Password));

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ResolveAndPack_AuthenticatedFeed_PasswordInNoOutputAndNoFile()
    {
        await using var publicFeed = await new NuGetTestFeed().Add("Public.Dep", "2.0.0").StartAsync();
        await using var privateFeed = await new NuGetTestFeed { RequiredCredentials = "user:" + Password, PublishHashes = true }
            .Add("Private.Lib", "1.0.0", new TestDependency("Public.Dep", "2.0.0"))
            .StartAsync();
        WriteBundleJson(publicFeed, privateFeed);

        var resolve = await RunAsync("resolve", _temp["bundle.json"], "--json");
        var publish = await RunAsync("pack", _temp["bundle.json"], "--publish", _temp["pub"], "--cache", _temp["cache"], "--progress", "plain");
        var pack = await RunAsync("pack", _temp["bundle.json"], "-o", _temp["out.tar.zst"], "--cache", _temp["cache2"], "--progress", "plain", "--json");

        Assert.True(resolve.ExitCode == 0, resolve.Error);
        Assert.True(publish.ExitCode == 0, publish.Error);
        Assert.True(pack.ExitCode == 0, pack.Error);
        Assert.Contains("downloaded 2/2 files", publish.Output + publish.Error, StringComparison.Ordinal);
        Assert.Contains(privateFeed.Requests, r => r.Path.EndsWith(".nupkg", StringComparison.Ordinal) && r.Authorization == "Basic " + BasicHeader);
        AssertNoSecret("resolve --json", resolve.Output + resolve.Error);
        AssertNoSecret("pack --publish --progress plain", publish.Output + publish.Error);
        AssertNoSecret("pack --json --progress plain", pack.Output + pack.Error);
        AssertNoSecret("the bundle's manifest", ManifestJson.SerializeIndented(BundleForger.ReadManifest(_temp["out.tar.zst"])));
        var written = Directory.EnumerateFiles(_temp.Path, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "nuget.config").ToList();
        Assert.Contains(_temp["bundle.lock.json"], written);
        Assert.Contains(PublishFolder.ManifestPath(_temp["pub"]), written);
        Assert.Contains(PublishFolder.BundlePath(_temp["pub"]), written);
        Assert.All(written, file => AssertNoSecret(file, Encoding.Latin1.GetString(File.ReadAllBytes(file))));
    }

    [Fact]
    public async Task Pack_RefusedPassword_NotInTheError()
    {
        await using var publicFeed = await new NuGetTestFeed().StartAsync();
        await using var privateFeed = await new NuGetTestFeed { RequiredCredentials = "user:other" }.Add("Private.Lib", "1.0.0").StartAsync();
        WriteBundleJson(publicFeed, privateFeed);

        var pack = await RunAsync("pack", _temp["bundle.json"], "-o", _temp["out.tar.zst"], "--cache", _temp["cache"], "--progress", "plain");

        Assert.NotEqual(0, pack.ExitCode);
        Assert.Contains("refused access", pack.Error, StringComparison.Ordinal);
        AssertNoSecret("the error", pack.Output + pack.Error);
        Assert.False(File.Exists(_temp["out.tar.zst"]));
    }

    /// <summary>The feed sends its flat container (versions, .nuspec, .nupkg) to another origin: a second server, on another port.</summary>
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Pack_RedirectToAnotherOrigin_CredentialsDoNotFollow(string host)
    {
        await using var elsewhere = await new NuGetTestFeed().Add("Private.Lib", "1.0.0").StartAsync();
        var target = new UriBuilder(elsewhere.BaseUri) { Host = host }.Uri;
        await using var publicFeed = await new NuGetTestFeed().StartAsync();
        await using var privateFeed = await new NuGetTestFeed { RequiredCredentials = "user:" + Password, Registration = false, RedirectFlatContainerTo = target }.StartAsync();
        WriteBundleJson(publicFeed, privateFeed);

        var pack = await RunAsync("pack", _temp["bundle.json"], "-o", _temp["out.tar.zst"], "--cache", _temp["cache"], "--progress", "none");

        Assert.True(pack.ExitCode == 0, pack.Error);
        Assert.Contains(privateFeed.Requests, r => r.Path.EndsWith(".nupkg", StringComparison.Ordinal) && r.StatusCode == 302);
        Assert.Contains(elsewhere.Requests, r => r.Path.EndsWith(".nupkg", StringComparison.Ordinal) && r.StatusCode == 200);
        Assert.All(privateFeed.Requests, r => Assert.Equal("Basic " + BasicHeader, r.Authorization));
        Assert.All(elsewhere.Requests, r => Assert.Null(r.Authorization));
    }

    [Theory]
    [InlineData("http://user:secret@127.0.0.1:9/a.1.0.0.zip")]
    [InlineData("http://:secret@127.0.0.1:9/a.1.0.0.zip")]
    public async Task Pack_UrlCarryingCredentials_RefusedWithoutRepeatingThem(string url)
    {
        await File.WriteAllTextAsync(_temp["bundle.json"], $$"""
            {
              "sources": { "web": { "type": "urls" } },
              "packages": [ { "source": "web", "id": "a", "version": "1.0.0", "url": "{{url}}" } ]
            }
            """);

        var pack = await RunAsync("pack", _temp["bundle.json"], "-o", _temp["out.tar.zst"], "--cache", _temp["cache"], "--progress", "plain");

        Assert.NotEqual(0, pack.ExitCode);
        Assert.True(pack.Error.Contains("bundle.json:3:", StringComparison.Ordinal), pack.Error);
        Assert.Contains("user name or password", pack.Error, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:9/a.1.0.0.zip", pack.Error, StringComparison.Ordinal);
        AssertNoSecret("the error", pack.Output + pack.Error);
        Assert.Equal(["bundle.json"], TreeAssert.Listing(_temp.Path));
    }

    private static void AssertNoSecret(string where, string text)
    {
        Assert.False(text.Contains(Password, StringComparison.Ordinal), $"The password is in {where}:\n{text}");
        Assert.False(text.Contains(BasicHeader, StringComparison.Ordinal), $"The Authorization header is in {where}:\n{text}");
    }

    private void WriteBundleJson(LoopbackServer publicFeed, LoopbackServer privateFeed)
    {
        NuGetConfigFile.WritePublicAndPrivate(_temp["nuget.config"], publicFeed, privateFeed);
        File.WriteAllText(_temp["bundle.json"], """
            {
              "sources": { "corp": { "type": "nuget", "config": "nuget.config", "targetFramework": "net8.0", "transitive": true } },
              "packages": [ { "source": "corp", "id": "Private.Lib", "version": "1.0.0" } ]
            }
            """);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}
