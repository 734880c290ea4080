using Bundler.Loader.Http;
using Bundler.Testing;

namespace Bundler.Cli.Tests.Options;

/// <summary>Every numeric option of every command refuses a value out of its range while parsing: exit code 2, nothing run.</summary>
public sealed class OptionRangeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string, string, string> OutOfRangeValues => new()
    {
        { "serve", "--port", "70000", "--port '70000' is out of range; use 0 to 65535." },
        { "serve", "--port", "-1", "--port '-1' is out of range; use 0 to 65535." },
        { "serve", "--h2-port", "65536", "--h2-port '65536' is out of range; use 0 to 65535." },
        { "serve", "--max-connections", "0", "--max-connections '0' is out of range; use 1 or more." },
        { "serve", "--rtt", "-5ms", "--rtt '-5ms' is not valid; write it like 40ms or 0.2s." },
        { "serve", "--bandwidth", "0", "--bandwidth '0' is not valid; write it like 8mbit or 2MB." },
        { "serve", "--connection-bandwidth", "-1mbit", "--connection-bandwidth '-1mbit' is not valid; write it like 2mbit or 512KB." },
        { "serve", "--fault-stall", "0", "--fault-stall '0' is out of range; use a duration above 0" },
        { "serve", "--fault-stall", "forever", "--fault-stall 'forever' is not valid; write it like 10s or 500ms." },
        { "download", "--max-per-host", "0", "--max-per-host '0' is out of range; use 1 or more." },
        { "download", "--segments", "0", "--segments '0' is out of range; use 1 or more." },
        { "download", "--retries", "-1", "--retries '-1' is out of range; use 0 or more." },
        { "download", "--stall-timeout", "0", "--stall-timeout '0' is out of range; use more than 0, up to 86400." },
        { "download", "--stall-timeout", "-3", "--stall-timeout '-3' is out of range; use more than 0, up to 86400." },
        { "download", "--stall-timeout", "NaN", "--stall-timeout 'NaN' is out of range; use more than 0, up to 86400." },
        { "download", "--stall-timeout", "1e300", "--stall-timeout '1e300' is out of range; use more than 0, up to 86400." },
        { "download", "--segment-threshold", "0", "--segment-threshold '0' is out of range; use 1 or more." },
        { "download", "--segment-threshold", "3G", "--segment-threshold '3G' is not valid; write it like 4M, 512K or 65536." },
        { "download", "--concurrency", "0", "--concurrency '0' is neither a positive number nor 'adaptive'." },
        { "pack", "--level", "0", "--level '0' is out of range; use -7 to -1 or 1 to 22." },
        { "pack", "--level", "23", "--level '23' is out of range; use -7 to -1 or 1 to 22." },
        { "pack", "--frame-size", "32K", "--frame-size '32K' is out of range; use a multiple of 512 from 64K to 16M." },
        { "pack", "--frame-size", "100000", "--frame-size '100000' is out of range; use a multiple of 512 from 64K to 16M." },
        { "pack", "--frame-size", "17M", "--frame-size '17M' is out of range; use a multiple of 512 from 64K to 16M." },
        { "load", "--stall-timeout", "0", "--stall-timeout '0' is out of range; use a duration above 0" },
        { "load", "--stall-timeout", "-1s", "--stall-timeout '-1s' is not valid; write it like 30s or 500ms." },
        { "compare", "--runs", "0", "--runs '0' is out of range; use 1 to 1000." },
        { "compare", "--runs", "-4", "--runs '-4' is out of range; use 1 to 1000." },
        { "download", "--min-rate", "fast", "--min-rate 'fast' is not valid; write it like 1K/30s" },
        { "load", "--min-rate", "1K/0s", "--min-rate '1K/0s' is not valid; write it like 1K/30s" },
        { "pack", "--min-rate", "-1/30s", "--min-rate '-1/30s' is not valid; write it like 1K/30s" },
        { "compare", "--min-rate", "1K", "--min-rate '1K' is not valid; write it like 1K/30s" },
    };

    [Theory]
    [MemberData(nameof(OutOfRangeValues))]
    public async Task Command_OptionOutOfRange_ExitsTwoNamingOptionValueAndRange(string command, string option, string value, string message)
    {
        var (exitCode, output, error) = await CliRun.RunAsync([.. RequiredArguments(command), $"{option}={value}"]);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal("", output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
    }

    [Theory]
    [InlineData("serve", "--port", "65535")]
    [InlineData("download", "--retries", "0")]
    [InlineData("download", "--min-rate", "0")]
    [InlineData("load", "--min-rate", "512/10s")]
    [InlineData("pack", "--level", "-7")]
    [InlineData("pack", "--frame-size", "16M")]
    [InlineData("compare", "--runs", "1")]
    public async Task Command_OptionAtTheEdgeOfItsRange_ParsesWithoutError(string command, string option, string value)
    {
        var parse = CliApp.CreateRootCommand(TextWriter.Null).Parse([.. RequiredArguments(command), option, value]);

        Assert.Empty(parse.Errors);
    }

    [Fact]
    public void Command_UnitOptionNotGiven_UsesItsDocumentedDefault()
    {
        var root = CliApp.CreateRootCommand(TextWriter.Null);

        var load = root.Parse(RequiredArguments("load"));
        var pack = root.Parse(RequiredArguments("pack"));
        var download = root.Parse(RequiredArguments("download"));
        var serve = root.Parse(RequiredArguments("serve"));

        Assert.Empty(load.Errors.Concat(pack.Errors).Concat(download.Errors).Concat(serve.Errors));
        Assert.Equal(TimeSpan.FromSeconds(30), load.GetValue<TimeSpan>("--stall-timeout"));
        Assert.Equal(4 * 1024 * 1024, pack.GetValue<int>("--frame-size"));
        Assert.Equal(16 * 1024 * 1024, download.GetValue<int>("--segment-threshold"));
        Assert.Equal(TimeSpan.FromSeconds(10), serve.GetValue<TimeSpan>("--fault-stall"));
        Assert.Equal(MinimumTransferRate.Default, download.GetValue<MinimumTransferRate>("--min-rate"));
    }

    private string[] RequiredArguments(string command) => command switch
    {
        "serve" => ["serve", _temp.Path],
        "download" => ["download", "--urls", _temp["urls.txt"]],
        "pack" => ["pack", "--from-dir", _temp["in"], "-o", _temp["out.tar.zst"]],
        "load" => ["load", _temp["publish"], "-o", _temp["tree"]],
        "compare" => ["compare", _temp["publish"]],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "no arguments known"),
    };
}
