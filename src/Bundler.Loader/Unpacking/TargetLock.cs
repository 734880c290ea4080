using System.Security.Cryptography;
using System.Text;
using Bundler.Loader.IO;

namespace Bundler.Loader.Unpacking;

/// <summary>
/// The lock of one target folder, held while a staged tree is moved into it or leftovers of killed runs are cleaned
/// up. Its file lives in the machine's temporary folder (<c>bundler-locks/</c>, named by a hash of the target's full
/// path, as NuGet keeps its package locks), so that nothing is left beside the target, and that folder is writable by
/// every user, so that processes of several users that share a packages folder exclude each other too.
/// </summary>
internal static class TargetLock
{
    private const UnixFileMode SharedFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit;

    public static ExclusiveFileLock Acquire(string target, CancellationToken cancellationToken) =>
        ExclusiveFileLock.Acquire(PathOf(target), cancellationToken);

    public static string PathOf(string target)
    {
        var folder = Path.Combine(Path.GetTempPath(), "bundler-locks");
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, SharedFolderMode);
            }
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar)));
        return Path.Combine(folder, Convert.ToHexStringLower(hash.AsSpan(0, 16)) + ".lock");
    }
}
