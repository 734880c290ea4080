using Bundler.Loader.IO;

namespace Bundler.Loader.Unpacking;

/// <summary>
/// The lock of one target folder, held while a staged tree is moved into it or leftovers of killed runs are cleaned
/// up: a hidden <c>.NAME.lock</c> file beside the target (beside it, not in it, so that the target holds only what
/// was loaded; beside it, not in a per-user temporary folder, so that every process writing the folder sees it).
/// </summary>
internal static class TargetLock
{
    public static ExclusiveFileLock Acquire(string target, CancellationToken cancellationToken) =>
        ExclusiveFileLock.Acquire(PathOf(target), cancellationToken);

    public static string PathOf(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + ".lock");
}
