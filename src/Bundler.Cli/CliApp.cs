using System.CommandLine;
using Bundler.Cli.Commands;
using Bundler.Loader;

namespace Bundler.Cli;

/// <summary>
/// <c>dotnet bundle-packages</c>: the command tree, and the one place that maps errors to exit codes.
/// A <see cref="BundleException"/> is an expected failure: its message is printed as it is, with exit code 1.
/// </summary>
internal static class CliApp
{
    public static RootCommand CreateRootCommand(TextWriter output)
    {
        var root = new RootCommand("Resolves, downloads and bundles prebuilt packages into one indexed, seekable tar.zst; loads, unpacks, inspects and verifies bundles; serves them and compares one bundle with many files.");
        root.Add(PackCommand.Create(output));
        root.Add(UnpackCommand.Create(output));
        root.Add(InspectCommand.Create(output));
        root.Add(VerifyCommand.Create(output));
        root.Add(LoadCommand.Create(output));
        root.Add(ServeCommand.Create(output));
        root.Add(CompareCommand.Create(output));
        root.Add(DownloadCommand.Create(output));
        root.Add(ResolveCommand.Create(output));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var parseResult = CreateRootCommand(output).Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }

            await error.WriteLineAsync("Run 'dotnet bundle-packages --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (BundleException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("Cancelled; nothing was changed.");
            return ExitCodes.Cancelled;
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return ExitCodes.Failure;
        }
        catch (UnauthorizedAccessException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return ExitCodes.Failure;
        }
    }
}
