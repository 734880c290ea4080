using System.Diagnostics;
using Bundler.Testing;

namespace Bundler.Cli.Tests.Commands;

/// <summary>
/// A FIFO, a device or a link to one where a command expects a file is refused before it is opened: reading a FIFO
/// blocks until something writes to it, and /dev/zero never ends. The command exits 1 at once, naming the file.
/// </summary>
public sealed class SpecialFileInputTests : IDisposable
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _temp = new();

    public static TheoryData<string, string> Cases => new()
    {
        { "fifo", "pack-from-dir" },
        { "zero", "pack-from-dir" },
        { "fifo", "pack" },
        { "fifo", "download" },
        { "zero", "download" },
        { "fifo", "verify" },
        { "zero", "inspect" },
        { "fifo", "unpack" },
        { "fifo", "load" },
        { "zero", "load" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Command_SpecialFileInput_ExitsOneNamingItPromptly(string kind, string command)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var folder = Directory.CreateDirectory(_temp["in"]).FullName;
        var name = command switch
        {
            "pack-from-dir" => "Some.Package.1.0.0.nupkg",
            "pack" => "bundle.json",
            "download" => "urls.txt",
            _ => "packages.tar.zst",
        };
        var path = Path.Combine(folder, name);
        if (kind == "fifo")
        {
            MakeFifo(path);
        }
        else
        {
            File.CreateSymbolicLink(path, "/dev/zero");
        }

        string[] args = command switch
        {
            "pack-from-dir" => ["pack", "--from-dir", folder, "-o", _temp["out.tar.zst"]],
            "pack" => ["pack", path, "-o", _temp["out.tar.zst"], "--cache", _temp["cache"], "--progress", "none"],
            "download" => ["download", "--urls", path, "--cache", _temp["cache"], "--progress", "none"],
            "load" => ["load", path, "-o", _temp["loaded"]],
            "unpack" => ["unpack", path, "-o", _temp["unpacked"]],
            _ => [command, path],
        };

        using var output = new StringWriter();
        using var error = new StringWriter();
        var stopwatch = Stopwatch.StartNew();
        var code = await CliApp.RunAsync(args, output, error, CancellationToken.None).WaitAsync(Prompt);

        Assert.Equal(1, code);
        Assert.Contains(path, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("not a regular file", error.ToString(), StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < Prompt);
        Assert.False(File.Exists(_temp["out.tar.zst"]));
    }

    public void Dispose() => _temp.Dispose();

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path }, UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
