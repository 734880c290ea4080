using Bundler.Core.Download;
using Bundler.Core.Writing;

namespace Bundler.Core.Pipeline;

/// <summary>
/// Joins the download engine's reports and the writer's finished packages into one <see cref="PackProgress"/> stream,
/// reported under a lock so that a renderer never sees two reports at once.
/// </summary>
internal sealed class PackProgressTracker(IProgress<PackProgress> progress, int packagesTotal) : IProgress<DownloadProgress>
{
    private readonly Lock _lock = new();
    private DownloadProgress? _download;
    private int _written;
    private long _archiveBytes;

    public void Report(DownloadProgress value)
    {
        lock (_lock)
        {
            _download = value;
            ReportLocked(completed: false);
        }
    }

    public void Written(PackageInput input)
    {
        var size = new FileInfo(input.ArchivePath).Length;
        lock (_lock)
        {
            _written++;
            _archiveBytes += size;
            ReportLocked(completed: false);
        }
    }

    public void Complete()
    {
        lock (_lock)
        {
            ReportLocked(completed: true);
        }
    }

    private void ReportLocked(bool completed) => progress.Report(new PackProgress(_download, _written, packagesTotal, _archiveBytes, completed));
}
