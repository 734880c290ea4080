using Spectre.Console;
using Bundler.Core.Download;
using Bundler.Cli.Output;
using Bundler.Loader;

namespace Bundler.Cli.Progress;

/// <summary>Chooses how download progress is shown: a live bar in a terminal, periodic lines when redirected or in CI, or nothing.</summary>
internal static class ProgressDisplay
{
    public static readonly string[] Modes = ["auto", "live", "plain", "none"];

    public static Task<T> RunAsync<T>(string mode, TextWriter output, Func<IProgress<DownloadProgress>?, Task<T>> work)
    {
        var live = mode switch
        {
            "auto" => output is TerminalWriter { IsConsoleOut: true } && !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")),
            "live" => true,
            "plain" or "none" => false,
            _ => throw new Loader.BundleException($"--progress '{mode}' is not one of auto, live, plain, none."),
        };
        if (live)
        {
            return LiveProgressRenderer.RunAsync<T>(AnsiConsole.Console, p => work(p));
        }

        return work(mode == "none" ? null : new PlainProgressRenderer(output, TimeSpan.FromSeconds(2)));
    }
}
