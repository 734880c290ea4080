using System.Text.RegularExpressions;
using Bundler.Testing;
using Bundler.Testing.Hostile;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Cli.Tests.Commands;

/// <summary>
/// Tar entries a bundle never has (GNU sparse, multi-volume and label entries, pax sparse and global headers,
/// base-256 and unparsable numbers), in a source archive for <c>pack</c> and in a bundle for <c>verify</c>,
/// <c>unpack</c> and <c>load</c>: exit 1 with one line naming the file and the entry, no stack trace, nothing changed.
/// </summary>
public sealed class HostileTarEntryCliTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public HostileTarEntryCliTests()
    {
        Directory.CreateDirectory(_temp["served"]);
        Directory.CreateDirectory(_temp["area/target/mine"]);
        File.WriteAllText(_temp["area/target/mine/keep.txt"], "mine");
    }

    public void Dispose() => _temp.Dispose();

    public static IEnumerable<object[]> NamesAndCommands =>
        HostileBundleEntries.All.SelectMany(e => new[] { "verify", "unpack", "load-bundle", "load-ranges" }.Select(c => new object[] { e.Name, c }));

    [Theory]
    [MemberData(nameof(NamesAndCommands))]
    public async Task ReadBundle_HostileTarEntry_ExitsWith1NamingTheBundleAndEntry(string name, string command)
    {
        var item = HostileBundleEntries.Get(name);
        var bundle = _temp["served/evil.tar.zst"];
        HostileBundleEntries.Write(item, bundle);
        await using var server = await LoopbackServer.ServeDirectoryAsync(_temp["served"]);
        var target = _temp["area/target"];
        string[] args = command switch
        {
            "verify" => ["verify", bundle],
            "unpack" => ["unpack", bundle, "-o", target],
            _ => ["load", server.Url("evil.tar.zst").ToString(), "-o", target, "--mode", command["load-".Length..]],
        };

        var result = await RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        AssertOneClearLine(result.Error, command.StartsWith("load", StringComparison.Ordinal) ? server.Url("evil.tar.zst").ToString() : bundle, item.Entry, item.Reason);
        LoadAssert.Untouched(target);
    }

    [Theory]
    [InlineData("tar-gnu-sparse")]
    [InlineData("tar-pax-sparse")]
    [InlineData("tar-base256-uid")]
    [InlineData("tar-base256-mtime-past-9999")]
    [InlineData("tar-base256-size-past-long")]
    [InlineData("tar-pax-global-then-sparse")]
    [InlineData("tar-multi-volume")]
    [InlineData("tar-volume-label")]
    [InlineData("tar-garbage-size")]
    public async Task Pack_ArchiveWithHostileTarEntry_ExitsWith1NamingTheArchiveAndEntry(string name)
    {
        var item = HostileCorpus.Get(name);
        Directory.CreateDirectory(_temp["in"]);
        var archive = _temp["in/hostile.1.0.0.tar"];
        await File.WriteAllBytesAsync(archive, item.Build());
        Directory.CreateDirectory(_temp["out"]);
        await File.WriteAllTextAsync(_temp["out/b.tar.zst"], "previous output");

        var result = await RunAsync("pack", "--from-dir", _temp["in"], "-o", _temp["out/b.tar.zst"]);

        Assert.Equal(1, result.ExitCode);
        AssertOneClearLine(result.Error, archive, item.Entry, item.Reason);
        Assert.Equal("previous output", await File.ReadAllTextAsync(_temp["out/b.tar.zst"]));
        Assert.Equal(["b.tar.zst"], TreeAssert.Listing(_temp["out"]));
    }

    private static void AssertOneClearLine(string error, string file, string entry, string reason)
    {
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.True(error.Contains(file, StringComparison.Ordinal), $"'{file}' is not named in: {error}");
        Assert.True(error.Contains(entry, StringComparison.Ordinal), $"'{entry}' is not named in: {error}");
        Assert.Matches(reason, error);
        Assert.DoesNotMatch(new Regex(@"^\s+at ", RegexOptions.Multiline), error);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}
