using Spectre.Console;
using Bundler.Core.Pipeline;

namespace Bundler.Cli.Progress;

/// <summary>One live Spectre.Console progress bar for a whole download run or pack, for a terminal.</summary>
internal static class LiveProgressRenderer
{
    public static async Task<T> RunAsync<T>(IAnsiConsole console, Func<IProgress<PackProgress>, Task<T>> work)
    {
        var result = default(T)!;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("working", autoStart: true, maxValue: 1);
                result = await work(new Bar(task));
            });
        return result;
    }

    private sealed class Bar(ProgressTask task) : IProgress<PackProgress>
    {
        public void Report(PackProgress value)
        {
            task.Value = value.Fraction;
            task.Description = Markup.Escape(ProgressText.Describe(value));
        }
    }
}
