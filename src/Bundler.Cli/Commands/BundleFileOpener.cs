using Bundler.Loader;

namespace Bundler.Cli.Commands;

/// <summary>Opens a bundle file for one sequential read, with a message that names it when it cannot.</summary>
internal static class BundleFileOpener
{
    public static FileStream OpenRead(string path)
    {
        if (!File.Exists(path))
        {
            throw new BundleException($"The bundle '{path}' does not exist.");
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
    }

    /// <summary>Prefixes the bundle's path to a reader error, so that the message says which file is at fault.</summary>
    public static BundleException Named(string path, BundleException error) => new($"{path}: {error.Message}", error);
}
