using Bundler.Loader.IO;

namespace Bundler.Loader.Unpacking;

/// <summary>
/// What stagings for one target leave beside it: <c>.NAME.partial-GUID</c> (the staged tree) with its owner lock
/// (<c>.owner</c>, held while the staging lives), a commit journal (<c>.commit</c>) and a replaced whole target
/// (<c>.previous</c>); <c>.replaced</c> folders come from versions before the journal. A staging whose owner lock can be
/// taken belongs to a process that is gone: its commit is undone or finished, and the rest deleted.
/// </summary>
internal static class StagingLeftovers
{
    public const string OwnerSuffix = ".owner";
    public const string CommitSuffix = ".commit";
    public const string PreviousSuffix = ".previous";
    private const string LegacyReplacedSuffix = ".replaced";
    private const int GuidLength = 32;

    public static string Prefix(string target) => "." + Path.GetFileName(target) + ".partial-";

    /// <summary>Cleans up after the dead stagings of <paramref name="target"/>; call it holding the target's lock.</summary>
    public static void Recover(string target)
    {
        var parent = Path.GetDirectoryName(target)!;
        var prefix = Prefix(target);
        var stagings = Directory.EnumerateFileSystemEntries(parent, prefix + "*")
            .Select(path => Path.GetFileName(path))
            .Where(name => name.Length >= prefix.Length + GuidLength && name.Substring(prefix.Length, GuidLength).All(char.IsAsciiHexDigit))
            .Select(name => Path.Combine(parent, name[..(prefix.Length + GuidLength)]))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var root in stagings)
        {
            using var owner = ExclusiveFileLock.TryAcquire(root + OwnerSuffix, deleteOnRelease: true);
            if (owner is null)
            {
                continue;
            }

            try
            {
                if (Directory.Exists(root + CommitSuffix))
                {
                    CommitJournal.Recover(root + CommitSuffix, target);
                }

                var previous = root + PreviousSuffix;
                if (Directory.Exists(previous) && !Directory.Exists(target))
                {
                    Directory.Move(previous, target);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: what cannot be restored now is left for the next run, named as what it is.
                continue;
            }

            TreeStaging.Delete(root + PreviousSuffix);
            TreeStaging.Delete(root + LegacyReplacedSuffix);
            TreeStaging.Delete(root);
        }
    }
}
