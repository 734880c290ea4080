namespace Bundler.Cli.Tests;

/// <summary>Runs the tool in-process through the same entry point as <c>dotnet bundle-packages</c>, capturing what it prints.</summary>
internal static class CliRun
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, cancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
