using System.Diagnostics;
using System.Text;
using Bundler.Testing;

namespace Bundler.Build.Tests;

/// <summary>
/// Runs the <c>dotnet</c> CLI as a user would, in an environment cleaned of the test host's MSBuild variables, with a
/// time limit after which the whole process tree is killed, so that no build leaves processes behind.
/// </summary>
internal static class DotNet
{
    private static readonly TimeSpan TimeLimit = TimeSpan.FromMinutes(10);

    public static Task<DotNetResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        RunProgramAsync("dotnet", workingDirectory, environment, arguments);

    /// <summary>Runs <paramref name="program"/> (<c>dotnet</c>, or an installed tool's command) the same way.</summary>
    public static async Task<DotNetResult> RunProgramAsync(string program, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        // Under nice, every thread and child process of the build yields the cores to the other test assemblies,
        // whose loopback servers are timing-sensitive.
        var nice = ExternalTool.Find("nice");
        var start = new ProcessStartInfo(nice ?? program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (nice is not null)
        {
            start.ArgumentList.Add("-n10");
            start.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under `dotnet test`, whose MSBuild variables would point a nested build at the wrong SDK.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeLimit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {TimeLimit}:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new DotNetResult(process.ExitCode, output.ToString(), $"{program} {string.Join(' ', arguments)}");
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}

/// <summary>The exit code and the interleaved output of one <c>dotnet</c> command.</summary>
internal sealed record DotNetResult(int ExitCode, string Output, string CommandLine)
{
    /// <summary>Fails the test with the command's whole output unless it succeeded.</summary>
    public DotNetResult EnsureSuccess()
    {
        Assert.True(ExitCode == 0, $"{CommandLine} exited with {ExitCode}:\n{Output}");
        return this;
    }
}
