namespace Bundler.Loader.IO;

/// <summary>
/// The check a path a user names passes before it is opened for reading: it must be a regular file with content, or a
/// link to one. Opening a FIFO blocks until something writes to it (a signal does not end the wait), and a device such
/// as <c>/dev/zero</c> never ends. The runtime has no call that tells a file's type without opening it, but a FIFO, a
/// device and a socket all have a length of 0 where a regular file has its size; an empty file is no valid input
/// either, so a length of 0 is refused, and the length returned is a real bound on what reading can give.
/// </summary>
internal static class RegularFile
{
    /// <summary>
    /// The length of the file at <paramref name="path"/> (following links), or null when nothing is there (the caller
    /// says so in its own words). <paramref name="description"/> names what the file is for: "The bundle", "The URL list".
    /// </summary>
    /// <exception cref="BundleException">It is a folder, empty, or a FIFO, device or socket (or a link to one).</exception>
    public static long? LengthOrNull(string path, string description)
    {
        FileSystemInfo target;
        try
        {
            var info = new FileInfo(path);
            target = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        }
        catch (IOException)
        {
            // A link to nothing, or a loop of links.
            return null;
        }

        if (target is FileInfo { Exists: true } file)
        {
            return file.Length > 0
                ? file.Length
                : throw new BundleException($"{description} '{path}' is empty, or is not a regular file (a FIFO, device or socket{(file.FullName == Path.GetFullPath(path) ? "" : $", here '{file.FullName}'")}), which would block or never end when read; name a regular file with content.");
        }

        return Directory.Exists(target.FullName)
            ? throw new BundleException($"{description} '{path}' is a folder; name a file.")
            : null;
    }

    /// <summary>Like <see cref="LengthOrNull"/>, with the message for a missing file given by <paramref name="missing"/>.</summary>
    public static long Length(string path, string description, Func<BundleException> missing) =>
        LengthOrNull(path, description) ?? throw missing();
}
