namespace Bundler.Core.IO;

/// <summary>
/// A folder of its own in the machine's temporary folder (<c>bundler-scratch-*</c>) for the intermediate files of one
/// run, such as decompressed tars; deleted with everything in it on disposal. It holds its <c>.owner</c> file open
/// without sharing for as long as it lives, so that a later run can tell it from the folder of a killed run, which it
/// removes (<see cref="AbandonedTemporaries"/>).
/// </summary>
internal sealed class ScratchFolder : IDisposable
{
    private const string Prefix = "bundler-scratch-";
    private readonly FileStream _owner;

    private ScratchFolder(DirectoryInfo folder)
    {
        Path = folder.FullName;
        _owner = new FileStream(System.IO.Path.Combine(Path, AbandonedTemporaries.OwnerFileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
    }

    public string Path { get; }

    public static ScratchFolder Create()
    {
        AbandonedTemporaries.RemoveFoldersOnce(System.IO.Path.GetTempPath(), Prefix + "*");
        return new ScratchFolder(Directory.CreateTempSubdirectory(Prefix));
    }

    public void Dispose()
    {
        _owner.Dispose();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next run to remove.
        }
    }
}
