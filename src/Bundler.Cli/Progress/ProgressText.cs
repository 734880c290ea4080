using System.Globalization;
using Bundler.Core.Download;
using Bundler.Core.Pipeline;
using Bundler.Serving.Network;

namespace Bundler.Cli.Progress;

/// <summary>The words both renderers use for a <see cref="PackProgress"/>.</summary>
internal static class ProgressText
{
    /// <summary>"downloading …" (or "downloaded …" once done), then "; wrote N/M packages …" when a bundle is written.</summary>
    public static string Describe(PackProgress progress)
    {
        var download = progress.Download is { } d ? (d.Completed ? "downloaded " : "downloading ") + Describe(d) : null;
        var written = progress.PackagesTotal == 0 ? null
            : $"wrote {progress.PackagesWritten}/{progress.PackagesTotal} packages ({ByteSize.Format(progress.ArchiveBytesWritten)} of archives)";
        return string.Join("; ", new[] { download, written }.OfType<string>());
    }

    private static string Describe(DownloadProgress progress)
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
