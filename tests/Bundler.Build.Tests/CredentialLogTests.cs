using System.Text;
using TaskItem = Microsoft.Build.Utilities.TaskItem;
using Bundler.Build.Tasks;
using Bundler.Core.Resolution.Locking;
using Bundler.Testing;
using Bundler.Testing.Feeds;

namespace Bundler.Build.Tests;

/// <summary>The MSBuild tasks fetch from a feed that needs a password (nuget.config) without logging or writing it.</summary>
public sealed class CredentialLogTests : IDisposable
{
    private const string Password = "secret";
    private static readonly string BasicHeader = Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Password));

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task BuildMessages_FeedWithPassword_NeverContainThePassword()
    {
        await using var publicFeed = await new NuGetTestFeed().Add("Public.Dep", "2.0.0").StartAsync();
        await using var privateFeed = await new NuGetTestFeed { RequiredCredentials = "user:" + Password }
            .Add("Private.Lib", "1.0.0", new TestDependency("Public.Dep", "2.0.0"))
            .StartAsync();
        NuGetConfigFile.WritePublicAndPrivate(_temp["nuget.config"], publicFeed, privateFeed);
        var engine = new RecordingBuildEngine();
        var source = new TaskItem("corp");
        source.SetMetadata("Type", "nuget");
        source.SetMetadata("Config", "nuget.config");
        source.SetMetadata("TargetFramework", "net8.0");
        source.SetMetadata("Transitive", "true");
        var package = new TaskItem("Private.Lib");
        package.SetMetadata("Version", "1.0.0");
        package.SetMetadata("Source", "corp");
        var resolve = new ResolveBundlePackages { BuildEngine = engine, Packages = [package], Sources = [source], ProjectDirectory = _temp.Path };

        Assert.True(resolve.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        var write = new WriteBundle { BuildEngine = engine, Packages = resolve.ResolvedPackages, OutputPath = _temp["out/b.tar.zst"], LockFile = _temp["bundle.lock.json"], CacheFolder = _temp["cache"] };
        Assert.True(write.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));

        Assert.Equal(2, resolve.ResolvedPackages.Length);
        Assert.Contains(privateFeed.Requests, r => r.Path.EndsWith(".nupkg", StringComparison.Ordinal) && r.Authorization == "Basic " + BasicHeader);
        var logged = engine.Messages.Select(m => m.Message).Concat(engine.Warnings.Select(w => w.Message)).Concat(engine.Errors.Select(e => e.Message)).ToList();
        Assert.NotEmpty(logged);
        Assert.All(logged, message => AssertNoSecret("the build log", message ?? ""));
        var written = Directory.EnumerateFiles(_temp.Path, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "nuget.config").ToList();
        Assert.Contains(_temp["bundle.lock.json"], written);
        Assert.All(written, file => AssertNoSecret(file, Encoding.Latin1.GetString(File.ReadAllBytes(file))));
    }

    private static void AssertNoSecret(string where, string text)
    {
        Assert.False(text.Contains(Password, StringComparison.Ordinal), $"The password is in {where}:\n{text}");
        Assert.False(text.Contains(BasicHeader, StringComparison.Ordinal), $"The Authorization header is in {where}:\n{text}");
    }
}
