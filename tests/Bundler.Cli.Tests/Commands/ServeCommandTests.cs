using System.Text.RegularExpressions;
using Bundler.Testing;

namespace Bundler.Cli.Tests.Commands;

/// <summary><c>dotnet bundle-packages serve</c> as a user runs it: prints its addresses, logs requests, stops on Ctrl+C.</summary>
public sealed partial class ServeCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Serve_UntilCancelled_LogsEachRequest()
    {
        await File.WriteAllTextAsync(_temp["hello.txt"], "hello");
        using var output = new SynchronizedStringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = CliApp.RunAsync(["serve", _temp.Path, "--port", "0", "--h2-port", "0", "--preset", "lan", "--log", _temp["requests.jsonl"]], output, error, stop.Token);

        var url = await WaitForUrlAsync(output, run);
        using var client = new HttpClient();
        var body = await client.GetStringAsync(new Uri(url, "hello.txt"));
        await stop.CancelAsync();
        var exitCode = await run;

        Assert.Equal("hello", body);
        Assert.Equal(0, exitCode);
        Assert.Contains("1 ms RTT, 1 Gbit/s", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("GET /hello.txt -> 200 5 B", output.ToString(), StringComparison.Ordinal);
        var logged = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(_temp["requests.jsonl"])).RootElement;
        Assert.Equal("/hello.txt", logged.GetProperty("path").GetString());
        Assert.True(logged.GetProperty("firstByteMs").GetDouble() >= 1.0);
    }

    [Theory]
    [InlineData("--bandwidth", "fast", 2, "--bandwidth 'fast' is not valid")]
    [InlineData("--rtt", "-5", 2, "--rtt '-5' is not valid")]
    [InlineData("--max-connections", "0", 2, "--max-connections '0' is out of range; use 1 or more.")]
    [InlineData("--faults", "500=2", 1, "--faults '500=2' is not valid: '2' is more than 100%. Write it like 500=0.02,")]
    [InlineData("--faults", "drop=0.1", 1, "--faults 'drop=0.1' is not valid: 'drop=0.1' is not KIND=CHANCE")]
    [InlineData("--fault-stall", "soon", 2, "--fault-stall 'soon' is not valid")]
    public async Task Serve_BadNetworkValue_FailsNamingTheOption(string option, string value, int expectedExitCode, string message)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await CliApp.RunAsync(["serve", _temp.Path, "--port", "0", option, value], output, error, CancellationToken.None);

        Assert.Equal(expectedExitCode, exitCode);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithFaults_AnnouncesAndMarksThemInPrintedAndJsonLog()
    {
        await File.WriteAllTextAsync(_temp["hello.txt"], "hello");
        using var output = new SynchronizedStringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = CliApp.RunAsync(["serve", _temp.Path, "--port", "0", "--protocol", "h1", "--preset", "lan", "--faults", "500=1", "--fault-seed", "7", "--log", _temp["requests.jsonl"]], output, error, stop.Token);

        var url = await WaitForUrlAsync(output, run);
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(url, "hello.txt"));
        await stop.CancelAsync();
        var exitCode = await run;

        Assert.Equal(0, exitCode);
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("faults:   500 100% (seed 7; a stalled body is aborted after 10 s)", output.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"GET /hello\.txt -> 500 .*\[fault: 500\]", output.ToString());
        var logged = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(_temp["requests.jsonl"])).RootElement;
        Assert.Equal("500", logged.GetProperty("fault").GetString());
    }

    [Fact]
    public async Task ServeTls_LoadTrustingThePrintedCertificate_LoadsAndWithoutItExitsOneNamingUrlAndOption()
    {
        Directory.CreateDirectory(_temp["in"]);
        TestArchives.TarGz(_temp["in/is-number.7.0.0.tgz"], ArchiveContent.Sample("is-number", 2));
        Assert.Equal(0, (await CliRun.RunAsync(["pack", "--from-dir", _temp["in"], "--publish", _temp["pub"]])).ExitCode);
        using var output = new SynchronizedStringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = CliApp.RunAsync(["serve", _temp["pub"], "--tls", "--port", "0", "--log", _temp["requests.jsonl"]], output, error, stop.Token);

        var url = await WaitForUrlAsync(output, run, HttpsLine());
        var certificate = CertificateLine().Match(output.ToString()).Groups[1].Value;
        var untrusted = await CliRun.RunAsync(["load", url.AbsoluteUri, "-o", _temp["untrusted"]]);
        var trusted = await CliRun.RunAsync(["load", url.AbsoluteUri, "-o", _temp["trusted"], "--trust-cert", certificate]);
        await stop.CancelAsync();
        var exitCode = await run;

        Assert.Equal(0, exitCode);
        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains($"GET {url}index.json failed: the TLS connection could not be established", untrusted.Error, StringComparison.Ordinal);
        Assert.Contains("--trust-cert FILE", untrusted.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", untrusted.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp["untrusted"]));
        Assert.True(trusted.ExitCode == 0, trusted.Error);
        Assert.NotEmpty(Directory.GetFiles(_temp["trusted"], "*", SearchOption.AllDirectories));
        Assert.Contains("\"protocol\":\"HTTP/2\"", await File.ReadAllTextAsync(_temp["requests.jsonl"]), StringComparison.Ordinal);
        Assert.False(File.Exists(certificate), "the temporary certificate file is removed when the server stops");
    }

    [Fact]
    public async Task Serve_CertWithoutKey_FailsNamingBoth()
    {
        await File.WriteAllTextAsync(_temp["cert.pem"], "not used");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await CliApp.RunAsync(["serve", _temp.Path, "--port", "0", "--cert", _temp["cert.pem"]], output, error, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("--cert and --key go together", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_MissingFolder_FailsNamingIt()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var missing = _temp["nope"];

        var exitCode = await CliApp.RunAsync(["serve", missing, "--port", "0"], output, error, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains(missing, error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<Uri> WaitForUrlAsync(SynchronizedStringWriter output, Task<int> run, Regex? line = null)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var match = (line ?? Http1Line()).Match(output.ToString());
            if (match.Success)
            {
                return new Uri(match.Groups[1].Value);
            }

            if (run.IsCompleted)
            {
                throw new InvalidOperationException("serve exited early: " + output);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("serve printed no address: " + output);
    }

    [GeneratedRegex(@"HTTP/1\.1: (http://\S+)")]
    private static partial Regex Http1Line();

    [GeneratedRegex(@"HTTPS: +(https://\S+)")]
    private static partial Regex HttpsLine();

    [GeneratedRegex(@"certificate: (\S+\.pem) ")]
    private static partial Regex CertificateLine();

    private sealed class SynchronizedStringWriter : StringWriter
    {
        private readonly Lock _lock = new();

        public override void Write(char value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_lock)
            {
                base.WriteLine(value);
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return base.ToString();
            }
        }
    }
}
