using System.CommandLine;

namespace Bundler.Cli.Tests;

/// <summary>The boundary between the commands and the user: exit codes, and no stack trace unless asked for.</summary>
public sealed class CliAppTests
{
    [Fact]
    public async Task RunAsync_UnexpectedException_PrintsOneLineWithoutAStackTraceAndExitsOne()
    {
        var (exitCode, output, error) = await RunAsync(_ => throw new InvalidOperationException("Sequence contains\nno elements"), showDetail: false);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Equal("", output);
        Assert.Equal(
            "error: boom failed unexpectedly (InvalidOperationException: Sequence contains no elements); set BUNDLER_DEBUG=1 to print the full detail.\n",
            error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task RunAsync_UnexpectedExceptionWithDebug_PrintsTheStackTrace()
    {
        var (exitCode, _, error) = await RunAsync(_ => throw new InvalidOperationException("broken"), showDetail: true);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains("the full detail follows", error, StringComparison.Ordinal);
        Assert.Contains("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CancelledByTheUser_ExitsWith130()
    {
        using var cancellation = new CancellationTokenSource();
        var run = RunAsync(async token => await Task.Delay(Timeout.Infinite, token), showDetail: false, cancellation.Token);
        await cancellation.CancelAsync();

        var (exitCode, _, error) = await run;

        Assert.Equal(ExitCodes.Cancelled, exitCode);
        Assert.Contains("Cancelled", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TimeoutSurfacingAsCancellation_IsAFailureNotACancel()
    {
        var (exitCode, _, error) = await RunAsync(_ => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException()), showDetail: false);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains("HttpClient.Timeout", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LibraryRangeError_IsReportedWithoutAStackTrace()
    {
        var (exitCode, _, error) = await RunAsync(_ => throw new ArgumentOutOfRangeException("StallTimeout", "Must be positive."), showDetail: false);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Contains("StallTimeout", error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(Func<CancellationToken, Task> action, bool showDetail, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand();
        var command = new Command("boom");
        command.SetAction(async (_, token) =>
        {
            await action(token);
            return 0;
        });
        root.Add(command);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(root, ["boom"], output, error, showDetail, cancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
