using System.Diagnostics;
using Bundler.Core.Pipeline;

namespace Bundler.Cli.Progress;

/// <summary>
/// Progress for redirected output and CI logs: one line every <c>interval</c> and one at the end, never a partial line.
/// The engine reports from one loop, so lines never interleave.
/// </summary>
internal sealed class PlainProgressRenderer(TextWriter output, TimeSpan interval) : IProgress<PackProgress>
{
    private long _lastLine = Stopwatch.GetTimestamp();

    public void Report(PackProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Completed && Stopwatch.GetElapsedTime(_lastLine) < interval)
        {
            return;
        }

        _lastLine = Stopwatch.GetTimestamp();
        output.WriteLine(ProgressText.Describe(value));
    }
}
