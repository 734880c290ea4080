using Bundler.Core.Download;

namespace Bundler.Core.Pipeline;

/// <summary>A snapshot of a whole pack: the downloads and the packages written so far, which overlap.</summary>
/// <param name="Download">The latest download snapshot; null while none has been reported, or when nothing is downloaded.</param>
/// <param name="PackagesWritten">Packages compressed into the bundle so far.</param>
/// <param name="PackagesTotal">Packages in the bundle.</param>
/// <param name="ArchiveBytesWritten">The archive bytes of the packages written so far.</param>
/// <param name="Completed">Whether this is the last report: every package is written.</param>
public sealed record PackProgress(DownloadProgress? Download, int PackagesWritten, int PackagesTotal, long ArchiveBytesWritten, bool Completed)
{
    /// <summary>A download run on its own, with nothing written.</summary>
    public static PackProgress OfDownload(DownloadProgress download)
    {
        ArgumentNullException.ThrowIfNull(download);
        return new(download, 0, 0, 0, download.Completed);
    }

    /// <summary>
    /// How far the pack is, from 0 to 1: downloading (by bytes when every size is known, else by files) and writing
    /// (by packages) count half each; either alone when there is nothing of the other.
    /// </summary>
    public double Fraction
    {
        get
        {
            if (Completed)
            {
                return 1.0;
            }

            double? written = PackagesTotal == 0 ? null : (double)PackagesWritten / PackagesTotal;
            double? downloaded = Download switch
            {
                null => null,
                { Completed: true } => 1.0,
                { BytesTotal: > 0 } d => Math.Min(1.0, (double)d.BytesDone / d.BytesTotal.Value),
                { FilesTotal: > 0 } d => (double)d.FilesDone / d.FilesTotal,
                _ => 1.0,
            };
            return (downloaded, written) switch
            {
                ({ } d, { } w) => (d + w) / 2,
                ({ } d, null) => d,
                (null, { } w) => w,
                _ => 0.0,
            };
        }
    }
}
