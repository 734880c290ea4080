using SharpCompress.Archives.Zip;
using SharpCompress.Readers;

namespace Bundler.Loader.Archives.Zip;

/// <summary>Opens a zip file with the zip library's random-access reader.</summary>
internal static class ZipArchiveFile
{
    /// <summary>
    /// Opens <paramref name="path"/> as one zip. Given a path, the library looks for split-archive parts (.z01, ...)
    /// beside the file, listing the whole folder for each archive: a pack or a files-mode load of n archives in one
    /// folder took time in n². Given a stream, it reads just this file.
    /// </summary>
    public static ZipArchive Open(string path)
    {
        var file = File.OpenRead(path);
        try
        {
            return (ZipArchive)ZipArchive.OpenArchive(file, new ReaderOptions { LeaveStreamOpen = false });
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
