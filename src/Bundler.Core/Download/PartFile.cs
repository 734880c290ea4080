using System.Net.Http.Headers;
using Microsoft.Win32.SafeHandles;

namespace Bundler.Core.Download;

/// <summary>
/// A file being downloaded into the cache's <c>tmp/</c> folder, named after its URL (<c>&lt;key&gt;.part</c>) with a
/// <see cref="PartRecord"/> beside it (<c>&lt;key&gt;.resume</c>), so that a run killed half-way leaves what the next run
/// resumes. The file is held open with no sharing for as long as this object lives, which is also its lock (see
/// <c>ExclusiveFileLock</c>): the operating system releases it when the process dies, so a run that cannot open it
/// knows another live run is writing it, and downloads into a file of its own (<c>&lt;guid&gt;.part</c>, not resumable).
/// </summary>
internal sealed class PartFile : IDisposable
{
    private static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(1);

    // A record is read from disk: one listing a swarm of gaps would turn into a swarm of requests. A killed run leaves
    // a gap per range it fetched (a few, up to the segments and splits of one file).
    private const int MaxGaps = 64;

    // Windows enforces sharing modes itself, and a file open elsewhere can be renamed or deleted only with Delete
    // sharing; elsewhere only FileShare.None takes the exclusive lock.
    private static readonly FileShare Sharing = OperatingSystem.IsWindows() ? FileShare.Delete : FileShare.None;

    private readonly Lock _gate = new();
    private readonly string? _recordPath;
    private readonly Uri _url;
    private (RangeConditionHeaderValue Validator, long Length)? _version;
    private Func<IEnumerable<(long Start, long End)>>? _written;
    private long _lastSave = long.MinValue / 2;
    private bool _savePending;

    private PartFile(string path, SafeFileHandle handle, string? recordPath, Uri url, PartRecord? resume)
    {
        Path = path;
        Handle = handle;
        _recordPath = recordPath;
        _url = url;
        Resume = resume;
    }

    public string Path { get; }

    public SafeFileHandle Handle { get; }

    /// <summary>What a killed run left to resume from, or null to start from zero.</summary>
    public PartRecord? Resume { get; private set; }

    /// <summary>The part file for <paramref name="url"/> in <paramref name="folder"/>: the one a dead run left, if any, else a new one.</summary>
    public static PartFile Open(string folder, string key, Uri url)
    {
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, key + ".part");
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, Sharing);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another live run is downloading the same URL.
            var own = System.IO.Path.Combine(folder, $"{Guid.NewGuid():N}.part");
            return new PartFile(own, File.OpenHandle(own, FileMode.CreateNew, FileAccess.ReadWrite, Sharing), null, url, null);
        }

        var recordPath = path[..^".part".Length] + ".resume";
        var part = new PartFile(path, handle, recordPath, url, null);
        var record = ReadRecord(recordPath, url);
        var length = RandomAccess.GetLength(handle);
        if (record is not null && record.Written.Count > 0 && record.Written.All(w => w.End <= length) && length <= record.Length && record.Missing().Count <= MaxGaps)
        {
            part.Resume = record;
            part._version = (record.Validator, record.Length);
            part._written = () => record.Written;
        }
        else
        {
            part.Restart();
        }

        return part;
    }

    /// <summary>Drops what the file holds: the download starts from zero.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            Resume = null;
            _version = null;
            _written = null;
            RandomAccess.SetLength(Handle, 0);
            DeleteRecord();
        }
    }

    /// <summary>The version of the file being written (from the first response); none makes the file not resumable.</summary>
    public void Remember(RangeConditionHeaderValue? validator, long? length)
    {
        lock (_gate)
        {
            _version = validator is not null && length > 0 ? (validator, length.Value) : null;
            if (_version is null)
            {
                DeleteRecord();
            }
        }
    }

    /// <summary>Where to read the intervals written so far from, when <see cref="Progressed"/> saves them.</summary>
    public void Track(Func<IEnumerable<(long Start, long End)>> written)
    {
        lock (_gate)
        {
            _written = written;
        }
    }

    /// <summary>
    /// Bytes were written: the record is saved, at most once a second, and a second after the last save when writes
    /// came in between (so a kill loses at most the last second of bytes, which are then fetched again).
    /// </summary>
    public void Progressed()
    {
        lock (_gate)
        {
            if (_savePending || _recordPath is null)
            {
                return;
            }

            var wait = _lastSave + (long)SaveInterval.TotalMilliseconds - Environment.TickCount64;
            if (wait <= 0)
            {
                Save();
                return;
            }

            _savePending = true;
            _ = Task.Delay(TimeSpan.FromMilliseconds(wait)).ContinueWith(
                _ =>
                {
                    lock (_gate)
                    {
                        _savePending = false;
                        Save();
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }
    }

    // Under _gate. Best effort: a record that cannot be written only means a kill now would not be resumed.
    private void Save()
    {
        if (_recordPath is null || _version is not { } version || _written is null)
        {
            return;
        }

        _lastSave = Environment.TickCount64;
        var record = new PartRecord(_url, version.Length, version.Validator, [.. _written()]);
        var next = _recordPath + ".new";
        try
        {
            File.WriteAllText(next, record.Format());
            File.Move(next, _recordPath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Before the file is moved into the content folder: no record may vouch for a name that is about to be free.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _version = null;
            DeleteRecord();
        }
    }

    /// <summary>Deletes the file and its record (a failed or cancelled download leaves nothing).</summary>
    public void Discard()
    {
        Finish();
        Handle.Dispose();
        File.Delete(Path);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            // A save still scheduled must not write a record for a file this object no longer holds.
            _version = null;
        }

        Handle.Dispose();
    }

    private void DeleteRecord()
    {
        if (_recordPath is not null)
        {
            File.Delete(_recordPath);
        }
    }

    private static PartRecord? ReadRecord(string path, Uri url)
    {
        try
        {
            var info = new FileInfo(path);
            // A record is a few lines; anything large is not one of ours.
            return info.Exists && info.Length < 1 << 20 ? PartRecord.TryParse(File.ReadAllText(path), url) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
