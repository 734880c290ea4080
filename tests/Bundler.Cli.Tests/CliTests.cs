using System.Text.Json;
using Bundler.Testing;

namespace Bundler.Cli.Tests;

/// <summary>The tool's commands, run through the same entry point as <c>dotnet bundle-packages</c>.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public CliTests()
    {
        Directory.CreateDirectory(_temp["in"]);
        TestArchives.Zip(_temp["in/Some.Package.1.2.3.nupkg"], ArchiveContent.Sample("Some.Package"));
        TestArchives.TarGz(_temp["in/is-number.7.0.0.tgz"], ArchiveContent.Sample("is-number", 2));
        File.WriteAllText(_temp["in/notes.txt"], "not an archive");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task PackInspectVerifyUnpack_SampleFolder_SucceedAndAgree()
    {
        var pack = await RunAsync("pack", "--from-dir", _temp["in"], "-o", _temp["b.tar.zst"], "--exclude", "**/*.xml");
        var inspect = await RunAsync("inspect", _temp["b.tar.zst"], "--json");
        var verify = await RunAsync("verify", _temp["b.tar.zst"]);
        var unpack = await RunAsync("unpack", _temp["b.tar.zst"], "-o", _temp["tree"]);

        Assert.Equal((0, 0, 0, 0), (pack.ExitCode, inspect.ExitCode, verify.ExitCode, unpack.ExitCode));
        Assert.Contains("2 packages, 8 files", pack.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(inspect.Output);
        var packages = json.RootElement.GetProperty("manifest").GetProperty("packages");
        Assert.Equal(["Some.Package", "is-number"], packages.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal("1.2.3", packages[0].GetProperty("version").GetString());
        Assert.StartsWith("OK: ", verify.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(_temp["tree/is-number/7.0.0/tools/run.sh"]));
        Assert.False(File.Exists(_temp["tree/is-number/7.0.0/lib/net8.0/is-number.xml"]));
    }

    [Fact]
    public async Task Inspect_Bundle_PrintsATableOfPackages()
    {
        await RunAsync("pack", "--from-dir", _temp["in"], "-o", _temp["b.tar.zst"], "--keep-archive", "is-*");

        var inspect = await RunAsync("inspect", _temp["b.tar.zst"]);

        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("Some.Package", inspect.Output, StringComparison.Ordinal);
        Assert.Contains("7.0.0 (whole)", inspect.Output, StringComparison.Ordinal);
        Assert.Contains("2 packages, 6 files", inspect.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CorruptBundle_FailsNamingTheBundle()
    {
        await RunAsync("pack", "--from-dir", _temp["in"], "-o", _temp["b.tar.zst"]);
        var bytes = await File.ReadAllBytesAsync(_temp["b.tar.zst"]);
        bytes[^100] ^= 0xFF;
        await File.WriteAllBytesAsync(_temp["b.tar.zst"], bytes);

        var verify = await RunAsync("verify", _temp["b.tar.zst"]);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains(_temp["b.tar.zst"], verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_MissingFolder_FailsWithExitCode1()
    {
        var pack = await RunAsync("pack", "--from-dir", _temp["missing"], "-o", _temp["b.tar.zst"]);

        Assert.Equal(1, pack.ExitCode);
        Assert.Contains("missing", pack.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp["b.tar.zst"]));
    }

    [Fact]
    public async Task Pack_ArchiveWithoutAVersionInItsName_FailsNamingIt()
    {
        TestArchives.Zip(_temp["in/noversion.zip"], ArchiveContent.Sample("x"));

        var pack = await RunAsync("pack", "--from-dir", _temp["in"], "-o", _temp["b.tar.zst"]);

        Assert.Equal(1, pack.ExitCode);
        Assert.Contains("noversion.zip", pack.Error, StringComparison.Ordinal);
        Assert.Contains("<id>.<version>", pack.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pack", "--from-dir")]
    [InlineData("unpack")]
    [InlineData("frobnicate")]
    [InlineData("pack", "--level", "notanumber")]
    [InlineData("pack", "--project", "app.slnx", "bundle.json", "-o", "b.tar.zst")]
    [InlineData("pack", "--project", "app.slnx", "--locked", "-o", "b.tar.zst")]
    [InlineData("pack", "--project", "app.slnx", "--nuget-layout", "-o", "b.tar.zst")]
    [InlineData("restore-from")]
    public async Task Run_UsageError_ExitsWith2(params string[] args)
    {
        var result = await RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_OutOfRangeLevel_IsAUsageErrorWritingNothing()
    {
        var pack = await RunAsync("pack", "--from-dir", _temp["in"], "-o", _temp["b.tar.zst"], "--level", "40");

        Assert.Equal(2, pack.ExitCode);
        Assert.Contains("--level '40' is out of range; use -7 to -1 or 1 to 22.", pack.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp["b.tar.zst"]));
    }

    [Fact]
    public async Task Unpack_NonBundle_FailsLeavingNoTarget()
    {
        await File.WriteAllTextAsync(_temp["fake.tar.zst"], "definitely not a bundle");

        var unpack = await RunAsync("unpack", _temp["fake.tar.zst"], "-o", _temp["tree"]);

        Assert.Equal(1, unpack.ExitCode);
        Assert.Contains("not a Bundler bundle", unpack.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp["tree"]));
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }
}
