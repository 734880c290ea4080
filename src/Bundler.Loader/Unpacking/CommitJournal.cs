using System.Globalization;
using Bundler.Loader.Format;

namespace Bundler.Loader.Unpacking;

/// <summary>
/// What a commit into an existing target is doing, written down before each rename: which previous package folders
/// it set aside (kept in the journal's folder) and which staged ones it is placing. A commit that completes deletes
/// the journal first and then the folders set aside; one killed half-way leaves the journal, and
/// <see cref="Recover"/> puts the target back as it was before that commit.
/// </summary>
internal sealed class CommitJournal : IDisposable
{
    private const string JournalFileName = "journal";
    private readonly string _folder;
    private readonly FileStream _journal;
    private int _asides;

    public CommitJournal(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
        _journal = new FileStream(Path.Combine(folder, JournalFileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
    }

    /// <summary>Records that the previous copy of <paramref name="packageFolder"/> is moved aside; returns where to.</summary>
    public string SetAside(string packageFolder)
    {
        var name = (_asides++).ToString(CultureInfo.InvariantCulture);
        Write($"aside\t{name}\t{packageFolder}");
        return Path.Combine(_folder, name);
    }

    /// <summary>Records that the staged <paramref name="packageFolder"/> is about to be moved into the target.</summary>
    public void Placing(string packageFolder) => Write($"placed\t{packageFolder}");

    /// <summary>Ends the commit, done or undone: the journal goes first, so the folders set aside are never restored after it.</summary>
    public void Finish()
    {
        _journal.Dispose();
        File.Delete(Path.Combine(_folder, JournalFileName));
        TreeStaging.Delete(_folder);
    }

    public void Dispose() => _journal.Dispose();

    /// <summary>Undoes the commit a killed process left in <paramref name="folder"/>: its packages out, the previous ones back.</summary>
    public static void Recover(string folder, string target)
    {
        var journal = Path.Combine(folder, JournalFileName);
        if (File.Exists(journal))
        {
            var records = File.ReadAllLines(journal).Select(line => line.Split('\t')).Reverse().ToList();
            foreach (var record in records.Where(r => r is ["placed", _]))
            {
                TreeStaging.Delete(EntryPath.Combine(target, record[1]));
            }

            foreach (var record in records.Where(r => r is ["aside", _, _]))
            {
                var aside = Path.Combine(folder, record[1]);
                var destination = EntryPath.Combine(target, record[2]);
                if (Directory.Exists(aside) && !Directory.Exists(destination))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                    Directory.Move(aside, destination);
                }
            }

            File.Delete(journal);
        }

        TreeStaging.Delete(folder);
    }

    private void Write(string record)
    {
        _journal.Write(System.Text.Encoding.UTF8.GetBytes(record + "\n"));
        _journal.Flush(flushToDisk: true);
    }
}
