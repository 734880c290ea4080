using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Bundler.Testing;
using Bundler.Testing.Http;

namespace Bundler.Cli.Tests.Commands;

public sealed class RedirectRefusalTests : IDisposable
{
    private const string Target = "file:///etc/passwd";
    private readonly TempDirectory _temp = new();

    [Theory]
    [InlineData("load", "bundle")]
    [InlineData("load", "ranges")]
    [InlineData("load", "files")]
    [InlineData("download", null)]
    [InlineData("pack", null)]
    public async Task Command_RedirectToFile_ExitsOneNamingUrlAndTarget(string command, string? mode)
    {
        await using var server = await LoopbackServer.StartAsync(app => app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = Target;
            return Task.CompletedTask;
        }));
        var archive = server.Url("a.1.0.0.zip");
        await File.WriteAllTextAsync(_temp["urls.txt"], archive.AbsoluteUri);
        await File.WriteAllTextAsync(_temp["bundle.json"], $$"""
            {
              "sources": { "web": { "type": "urls" } },
              "packages": [ { "source": "web", "id": "a", "version": "1.0.0", "url": "{{archive.AbsoluteUri}}" } ]
            }
            """);
        string[] args = command switch
        {
            "load" => ["load", server.BaseUri.AbsoluteUri, "-o", _temp["out"], "--mode", mode!],
            "download" => ["download", "--urls", _temp["urls.txt"], "--cache", _temp["cache"], "--progress", "none"],
            _ => ["pack", _temp["bundle.json"], "-o", _temp["out.tar.zst"], "--cache", _temp["cache"], "--progress", "none"],
        };

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains(Target, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Refused a redirect of GET " + server.BaseUri.AbsoluteUri, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp["out"]));
        Assert.False(File.Exists(_temp["out.tar.zst"]));
    }

    public void Dispose() => _temp.Dispose();
}
