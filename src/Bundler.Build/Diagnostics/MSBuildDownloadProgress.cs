using System.Diagnostics;
using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Bundler.Core.Download;

namespace Bundler.Build.Diagnostics;

/// <summary>
/// Download progress as build messages: a line at most every few seconds while archives arrive, and one at the end,
/// so a long download is visible at normal verbosity without flooding the log.
/// </summary>
internal sealed class MSBuildDownloadProgress(TaskLoggingHelper log) : IProgress<DownloadProgress>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private long _lastLine = Stopwatch.GetTimestamp();

    public void Report(DownloadProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            if (!value.Completed && Stopwatch.GetElapsedTime(_lastLine) < Interval)
            {
                return;
            }

            _lastLine = Stopwatch.GetTimestamp();
        }

        var total = value.BytesTotal is { } bytes ? string.Create(CultureInfo.InvariantCulture, $" of {bytes / 1e6:0.0}") : "";
        log.LogMessage(value.Completed ? MessageImportance.Normal : MessageImportance.Low, string.Create(CultureInfo.InvariantCulture,
            $"Bundler: {(value.Completed ? "downloaded" : "downloading")} {value.FilesDone}/{value.FilesTotal} archives, {value.BytesDone / 1e6:0.0}{total} MB, {value.BytesPerSecond / 1e6:0.0} MB/s"));
    }
}
