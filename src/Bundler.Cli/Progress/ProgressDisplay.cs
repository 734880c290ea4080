using Spectre.Console;
using Bundler.Core.Download;
using Bundler.Core.Pipeline;
using Bundler.Cli.Output;
using Bundler.Loader;

namespace Bundler.Cli.Progress;

/// <summary>Chooses how the progress of a download or a pack is shown: one live bar in a terminal, periodic lines when redirected or in CI, or nothing.</summary>
internal static class ProgressDisplay
{
    public static readonly string[] Modes = ["auto", "live", "plain", "none"];

    public static Task<T> RunAsync<T>(string mode, TextWriter output, Func<IProgress<DownloadProgress>?, Task<T>> work) =>
        RunPackAsync(mode, output, p => work(p is null ? null : new DownloadOnly(p)));

    public static Task<T> RunPackAsync<T>(string mode, TextWriter output, Func<IProgress<PackProgress>?, Task<T>> work)
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

    private sealed class DownloadOnly(IProgress<PackProgress> pack) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => pack.Report(PackProgress.OfDownload(value));
    }
}
