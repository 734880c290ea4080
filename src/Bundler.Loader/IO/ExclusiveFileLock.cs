namespace Bundler.Loader.IO;

/// <summary>
/// An exclusive lock held by keeping a file open with no sharing (on Linux and macOS the runtime takes an advisory
/// <c>flock</c> for it; Windows enforces the sharing mode). The operating system releases it when its process dies, so
/// a lock that can be taken tells that its last holder is gone.
/// </summary>
internal sealed class ExclusiveFileLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);
    private readonly FileStream _file;
    private readonly bool _deleteOnRelease;

    private ExclusiveFileLock(FileStream file, bool deleteOnRelease)
    {
        _file = file;
        _deleteOnRelease = deleteOnRelease;
    }

    /// <summary>
    /// Takes the lock on <paramref name="path"/> (creating the file) if no one holds it, else returns null. The file is
    /// opened for reading only, so that a lock file another user created can be locked too.
    /// </summary>
    public static ExclusiveFileLock? TryAcquire(string path, bool deleteOnRelease)
    {
        try
        {
            return new ExclusiveFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.None, 1, FileOptions.None), deleteOnRelease);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>Waits until the lock on <paramref name="path"/> can be taken.</summary>
    public static ExclusiveFileLock Acquire(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryAcquire(path, deleteOnRelease: false) is { } acquired)
            {
                return acquired;
            }

            cancellationToken.WaitHandle.WaitOne(PollInterval);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public void Dispose()
    {
        if (_deleteOnRelease)
        {
            try
            {
                File.Delete(_file.Name);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        _file.Dispose();
    }
}
