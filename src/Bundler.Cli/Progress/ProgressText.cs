using System.Globalization;
using Bundler.Core.Download;
using Bundler.Serving.Network;

namespace Bundler.Cli.Progress;

/// <summary>The words both renderers use for a <see cref="DownloadProgress"/>.</summary>
internal static class ProgressText
{
    public static string Describe(DownloadProgress progress)
    {
        var bytes = progress.BytesTotal is { } total
            ? $"{ByteSize.Format(progress.BytesDone)} of {ByteSize.Format(total)}"
            : ByteSize.Format(progress.BytesDone);
        var eta = progress.Remaining is { } remaining && !progress.Completed ? $", {Duration(remaining)} left" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{progress.FilesDone}/{progress.FilesTotal} files, {bytes}, {ByteSize.Format((long)progress.BytesPerSecond)}/s{eta}");
    }

    private static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : span.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
