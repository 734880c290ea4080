using Bundler.Cli.Output;
using Bundler.Testing;

namespace Bundler.Cli.Tests.Output;

/// <summary>Names from a forged manifest and tar stream reach the terminal with their control characters escaped, in every command.</summary>
public sealed class TerminalEscapingTests : IDisposable
{
    /// <summary>Clear screen, carriage return, bell and the one-character C1 CSI.</summary>
    private const string Hostile = "\u001b[2J\r\a\u009b31m";

    private readonly TempDirectory _temp = new();

    public TerminalEscapingTests()
    {
        Directory.CreateDirectory(_temp["in"]);
        TestArchives.Zip(_temp["in/Some.Package.1.2.3.nupkg"], ArchiveContent.Sample("Some.Package"));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Inspect_ForgedToolNameWithControlCharacters_PrintsItEscaped()
    {
        await PackAsync();
        BundleForger.RewriteManifest(_temp["b.tar.zst"], manifest => manifest with { Tool = "Tool" + Hostile });

        var table = await CliRun.RunAsync(["inspect", _temp["b.tar.zst"]]);
        var json = await CliRun.RunAsync(["inspect", _temp["b.tar.zst"], "--json"]);
        var verify = await CliRun.RunAsync(["verify", _temp["b.tar.zst"]]);

        Assert.Equal((0, 0, 0), (table.ExitCode, json.ExitCode, verify.ExitCode));
        AssertNoRawControlCharacters(table.Output + table.Error + json.Output + json.Error + verify.Output + verify.Error);
        Assert.Contains(@"Tool\u001b[2J\u000d\u0007\u009b31m", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_ForgedPackageAndEntryNamesWithControlCharacters_RefuseThemEscaped()
    {
        await PackAsync();
        BundleForger.RewriteManifest(_temp["b.tar.zst"], manifest => manifest with
        {
            Packages = [.. manifest.Packages.Select(p => p with
            {
                Id = "Evil" + Hostile,
                Version = "1.0" + Hostile,
                Files = [.. p.Files.Select(f => f with { Path = "lib/" + Hostile + f.Path })],
            })],
        });

        var runs = new[]
        {
            await CliRun.RunAsync(["inspect", _temp["b.tar.zst"]]),
            await CliRun.RunAsync(["verify", _temp["b.tar.zst"]]),
            await CliRun.RunAsync(["unpack", _temp["b.tar.zst"], "-o", _temp["tree"]]),
            await CliRun.RunAsync(["load", _temp["b.tar.zst"], "-o", _temp["loaded"], "--mode", "bundle"]),
            await CliRun.RunAsync(["load", _temp["b.tar.zst"], "-o", _temp["loaded"], "--mode", "ranges"]),
        };

        Assert.All(runs, run =>
        {
            Assert.Equal(1, run.ExitCode);
            AssertNoRawControlCharacters(run.Output + run.Error);
            Assert.Contains(@"Evil\u001b[2J\u000d\u0007\u009b31m", run.Error, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Commands_ForgedEntryPathWithControlCharacters_RefuseItEscaped()
    {
        await PackAsync();
        BundleForger.RewriteManifest(_temp["b.tar.zst"], manifest => manifest with
        {
            Packages = [.. manifest.Packages.Select(p => p with { Files = [.. p.Files.Select(f => f with { Path = "lib/" + Hostile + f.Path })] })],
        });

        var runs = new[]
        {
            await CliRun.RunAsync(["verify", _temp["b.tar.zst"]]),
            await CliRun.RunAsync(["unpack", _temp["b.tar.zst"], "-o", _temp["tree"]]),
            await CliRun.RunAsync(["load", _temp["b.tar.zst"], "-o", _temp["loaded"], "--mode", "bundle"]),
        };

        Assert.All(runs, run =>
        {
            Assert.NotEqual(0, run.ExitCode);
            AssertNoRawControlCharacters(run.Output + run.Error);
            Assert.Contains(@"\u001b[2J", run.Error, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ErrorMessage_PathWithControlCharacters_IsEscaped()
    {
        var missing = _temp["missing" + Hostile + ".tar.zst"];

        var (exitCode, _, error) = await CliRun.RunAsync(["verify", missing]);

        Assert.Equal(1, exitCode);
        AssertNoRawControlCharacters(error);
        Assert.Contains(@"missing\u001b[2J\u000d\u0007\u009b31m.tar.zst", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParseError_TokenWithControlCharacters_IsEscaped()
    {
        var (exitCode, _, error) = await CliRun.RunAsync(["inspect", "a", "b" + Hostile]);

        Assert.Equal(2, exitCode);
        AssertNoRawControlCharacters(error);
        Assert.Contains(@"b\u001b[2J", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerminalWriter_EveryWriteMethod_EscapesControlsAndKeepsLineFeeds()
    {
        using var inner = new StringWriter { NewLine = "\n" };
        var writer = new TerminalWriter(inner);

        writer.Write('\u001b');
        writer.Write("a\u009bb");
        writer.Write("c\td".ToCharArray(), 0, 3);
        writer.WriteLine("e\u007f");
        await writer.WriteAsync("f\rg".AsMemory());
        await writer.WriteLineAsync("h\n");

        Assert.Equal("\\u001ba\\u009bbc\\u0009de\\u007f\nf\\u000dgh\n\n", inner.ToString());
    }

    private async Task PackAsync() =>
        Assert.Equal(0, (await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "-o", _temp["b.tar.zst"]])).ExitCode);

    private static void AssertNoRawControlCharacters(string text) =>
        Assert.DoesNotContain(text, c => char.IsControl(c) && c != '\n');
}
