using Spectre.Console;
using Bundler.Core.Download;

namespace Bundler.Cli.Progress;

/// <summary>One live Spectre.Console progress bar for a whole download run, for a terminal.</summary>
internal static class LiveProgressRenderer
{
    public static async Task<T> RunAsync<T>(IAnsiConsole console, Func<IProgress<DownloadProgress>, Task<T>> work)
    {
        var result = default(T)!;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("downloading", autoStart: true, maxValue: 1);
                result = await work(new Bar(task));
            });
        return result;
    }

    private sealed class Bar(ProgressTask task) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value)
        {
            // Byte progress when every size is known, else file progress.
            var (done, total) = value.BytesTotal is { } bytes and > 0 ? ((double)value.BytesDone, (double)bytes) : (value.FilesDone, Math.Max(1, value.FilesTotal));
            task.MaxValue = total;
            task.Value = value.Completed ? total : Math.Min(done, total);
            task.Description = Markup.Escape(ProgressText.Describe(value));
        }
    }
}
