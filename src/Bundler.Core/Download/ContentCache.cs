using System.Security.Cryptography;
using System.Text;
using Bundler.Core.IO;
using Bundler.Loader.IO;

namespace Bundler.Core.Download;

/// <summary>
/// A content-addressed folder of verified archives: <c>content/&lt;algorithm&gt;/&lt;2 hex&gt;/&lt;hex&gt;</c>. Files
/// arrive under <c>tmp/</c> and are renamed into place only when verified, so readers never see a partial file and two
/// runs sharing the folder cannot corrupt it (the same name always means the same bytes). Archives whose hash is not known
/// in advance are found again through <c>urls/&lt;sha256 of the URL&gt;</c>, a small file holding the content's SRI.
/// A download in progress is a <see cref="PartFile"/> in <c>tmp/</c>; what a killed run left there is resumed by the next
/// download of the same URL, and removed by <see cref="RemoveLeftovers"/> once no live run holds it and it is too old to
/// resume.
/// </summary>
internal sealed class ContentCache
{
    /// <summary>The environment variable that moves the cache.</summary>
    public const string EnvironmentVariable = "BUNDLER_CACHE";

    /// <summary>How long a killed run's resumable part file is kept for a later run to resume.</summary>
    public static readonly TimeSpan ResumableFor = TimeSpan.FromDays(7);

    /// <summary>Files in <c>tmp/</c> younger than this are never removed (see <see cref="AbandonedTemporaries.Grace"/>).</summary>
    public static readonly TimeSpan LeftoverGrace = AbandonedTemporaries.Grace;

    public ContentCache(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>
    /// <c>$BUNDLER_CACHE</c> when set; else <c>%LOCALAPPDATA%\bundler\cache</c> on Windows, <c>$XDG_CACHE_HOME/bundler</c>
    /// or <c>~/.cache/bundler</c> elsewhere.
    /// </summary>
    public static string DefaultRoot()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "bundler", "cache");
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        return !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
            ? Path.Combine(xdg, "bundler")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "bundler");
    }

    public string PathFor(ContentHash hash)
    {
        var hex = hash.Hex;
        return Path.Combine(Root, "content", hash.Algorithm, hex[..2], hex);
    }

    /// <summary>The cached file for <paramref name="hash"/>, if present (and of <paramref name="expectedSize"/> when given).</summary>
    public string? TryGet(ContentHash hash, long? expectedSize)
    {
        var path = PathFor(hash);
        var info = new FileInfo(path);
        return info.Exists && (expectedSize is null || info.Length == expectedSize) ? path : null;
    }

    /// <summary>The hash last recorded for <paramref name="url"/>, if any.</summary>
    public ContentHash? LookupUrl(Uri url)
    {
        var path = UrlIndexPath(url);
        if (!File.Exists(path))
        {
            // The common case on a first run, checked without an exception: hundreds of lookups precede the first request.
            return null;
        }

        try
        {
            return ContentHash.TryParse(File.ReadAllText(path).Trim(), out var hash) ? hash : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private string TemporaryFolder => Path.Combine(Root, "tmp");

    /// <summary>A fresh, unique temporary path inside the cache (so the final rename stays on one file system).</summary>
    public string NewTemporaryPath()
    {
        Directory.CreateDirectory(TemporaryFolder);
        return Path.Combine(TemporaryFolder, $"{Guid.NewGuid():N}.part");
    }

    /// <summary>The part file to download <paramref name="url"/> into, holding what a killed run left of it.</summary>
    public PartFile OpenPart(Uri url) => PartFile.Open(TemporaryFolder, UrlKey(url), url);

    /// <summary>
    /// Moves a verified part file into place while still holding it (no other run can take its name meanwhile); if
    /// another run got there first, its identical file stays.
    /// </summary>
    public string Commit(PartFile part, ContentHash hash)
    {
        var destination = PathFor(hash);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        part.Finish();
        try
        {
            File.Move(part.Path, destination, overwrite: false);
        }
        catch (IOException) when (File.Exists(destination))
        {
            File.Delete(part.Path);
        }
        finally
        {
            part.Dispose();
        }

        return destination;
    }

    /// <summary>
    /// Removes what dead runs left in <c>tmp/</c>: every file of a name (<c>&lt;name&gt;.part</c>, <c>.resume</c>, ...)
    /// whose part file no live run holds, except a part file with its record younger than <see cref="ResumableFor"/>,
    /// which the next download of its URL resumes. Files another user owns are left alone.
    /// </summary>
    public void RemoveLeftovers()
    {
        if (!Directory.Exists(TemporaryFolder))
        {
            return;
        }

        var now = DateTime.UtcNow;
        foreach (var group in Directory.EnumerateFiles(TemporaryFolder).GroupBy(f => Path.GetFileName(f).Split('.')[0], StringComparer.Ordinal).ToList())
        {
            try
            {
                RemoveIfLeft(group.Key, [.. group.Select(f => new FileInfo(f))], now);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: a file that vanished or cannot be read is some other run's business.
            }
        }
    }

    private void RemoveIfLeft(string name, List<FileInfo> files, DateTime now)
    {
        if (files.Any(f => now - f.LastWriteTimeUtc < LeftoverGrace))
        {
            return;
        }

        var partPath = Path.Combine(TemporaryFolder, name + ".part");
        var part = files.FirstOrDefault(f => f.FullName == partPath);
        if (part is not null)
        {
            using var owner = ExclusiveFileLock.TryAcquire(partPath, deleteOnRelease: false);
            if (owner is null)
            {
                return;
            }
        }

        var resumable = part is not null && now - part.LastWriteTimeUtc < ResumableFor && files.Any(f => f.Name == name + ".resume");
        foreach (var file in files.Where(f => !resumable || f.Name.EndsWith(".new", StringComparison.Ordinal)))
        {
            try
            {
                file.Delete();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another run's, or another user's: left to them.
            }
        }
    }

    public void RecordUrl(Uri url, ContentHash hash)
    {
        var path = UrlIndexPath(url);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = NewTemporaryPath();
        File.WriteAllText(temporary, hash.Sri + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    private string UrlIndexPath(Uri url)
    {
        var key = UrlKey(url);
        return Path.Combine(Root, "urls", key[..2], key);
    }

    private static string UrlKey(Uri url) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)));
}
