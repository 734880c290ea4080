using System.CommandLine;
using Bundler.Cli.Commands;
using Bundler.Cli.Output;
using Bundler.Loader;

namespace Bundler.Cli;

/// <summary>
/// <c>dotnet bundle-packages</c>: the command tree, and the one place that maps errors to exit codes.
/// A <see cref="BundleException"/> is an expected failure: its message is printed as it is, with exit code 1. Any
/// other exception is a fault of the tool: one line names it, exit code 1, and <c>BUNDLER_DEBUG=1</c> adds the stack
/// trace. Everything printed goes through <see cref="TerminalWriter"/>, which escapes control characters.
/// </summary>
internal static class CliApp
{
    /// <summary>Set to 1 to print the full detail (type, stack trace, inner exceptions) of an unexpected error.</summary>
    public const string DebugEnvironmentVariable = "BUNDLER_DEBUG";

    public static RootCommand CreateRootCommand(TextWriter output)
    {
        var root = new RootCommand("Resolves, downloads and bundles prebuilt packages into one indexed, seekable tar.zst; loads, unpacks, inspects and verifies bundles; serves them and compares one bundle with many files.");
        root.Add(PackCommand.Create(output));
        root.Add(UnpackCommand.Create(output));
        root.Add(InspectCommand.Create(output));
        root.Add(VerifyCommand.Create(output));
        root.Add(LoadCommand.Create(output));
        root.Add(RestoreFromCommand.Create(output));
        root.Add(ServeCommand.Create(output));
        root.Add(CompareCommand.Create(output));
        root.Add(DownloadCommand.Create(output));
        root.Add(ResolveCommand.Create(output));
        return root;
    }

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var terminalOutput = TerminalWriter.Wrap(output);
        return RunAsync(CreateRootCommand(terminalOutput), args, terminalOutput, error, Environment.GetEnvironmentVariable(DebugEnvironmentVariable) == "1", cancellationToken);
    }

    /// <summary>Runs <paramref name="root"/>; <paramref name="showDetail"/> adds the full detail of an unexpected error.</summary>
    internal static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter output, TextWriter error, bool showDetail, CancellationToken cancellationToken)
    {
        output = TerminalWriter.Wrap(output);
        error = TerminalWriter.Wrap(error);
        var command = root.Name;
        try
        {
            var parseResult = root.Parse(args);
            command = parseResult.CommandResult.Command.Name;
            if (parseResult.Errors.Count > 0)
            {
                foreach (var parseError in parseResult.Errors)
                {
                    await error.WriteLineAsync(parseError.Message);
                }

                await error.WriteLineAsync("Run 'dotnet bundle-packages --help' for usage.");
                return ExitCodes.Usage;
            }

            return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (Exception ex)
        {
            return await ReportAsync(ex, command, error, showDetail);
        }
    }

    private static async Task<int> ReportAsync(Exception exception, string command, TextWriter error, bool showDetail)
    {
        switch (exception)
        {
            case BundleException or IOException or UnauthorizedAccessException:
                await error.WriteLineAsync("error: " + exception.Message);
                return ExitCodes.Failure;
            case OperationCanceledException when exception.InnerException is not TimeoutException:
                await error.WriteLineAsync("Cancelled; nothing was changed.");
                return ExitCodes.Cancelled;
            default:
                await error.WriteLineAsync($"error: {command} failed unexpectedly ({exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}); "
                    + (showDetail ? "the full detail follows." : $"set {DebugEnvironmentVariable}=1 to print the full detail."));
                if (showDetail)
                {
                    await error.WriteLineAsync(exception.ToString());
                }

                return ExitCodes.Failure;
        }
    }
}
