using Bundler.Loader;
using Bundler.Loader.IO;

namespace Bundler.Cli.Commands;

/// <summary>Opens a bundle file for one sequential read, with a message that names it when it cannot.</summary>
internal static class BundleFileOpener
{
    public static FileStream OpenRead(string path)
    {
        RegularFile.Length(path, "The bundle", () => new BundleException($"The bundle '{path}' does not exist."));

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
    }

    /// <summary>
    /// Opens the bundle and runs <paramref name="read"/> on it; a reader error gets the bundle's path in front, so that the
    /// message says which file is at fault.
    /// </summary>
    public static async Task<T> ReadAsync<T>(string path, Func<FileStream, Task<T>> read)
    {
        await using var stream = OpenRead(path);
        try
        {
            return await read(stream);
        }
        catch (BundleException ex)
        {
            throw new BundleException($"{path}: {ex.Message}", ex);
        }
    }
}
