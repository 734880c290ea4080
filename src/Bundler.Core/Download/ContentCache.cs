using System.Security.Cryptography;
using System.Text;

namespace Bundler.Core.Download;

/// <summary>
/// A content-addressed folder of verified archives: <c>content/&lt;algorithm&gt;/&lt;2 hex&gt;/&lt;hex&gt;</c>. Files
/// arrive under <c>tmp/</c> and are renamed into place only when verified, so readers never see a partial file and two
/// runs sharing the folder cannot corrupt it (the same name always means the same bytes). Archives whose hash is not known
/// in advance are found again through <c>urls/&lt;sha256 of the URL&gt;</c>, a small file holding the content's SRI.
/// </summary>
internal sealed class ContentCache
{
    /// <summary>The environment variable that moves the cache.</summary>
    public const string EnvironmentVariable = "BUNDLER_CACHE";

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

    /// <summary>A fresh, unique temporary path inside the cache (so the final rename stays on one file system).</summary>
    public string NewTemporaryPath()
    {
        var directory = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"{Guid.NewGuid():N}.part");
    }

    /// <summary>Moves a verified temporary file into place; if another run got there first, its identical file stays.</summary>
    public string Commit(string temporaryPath, ContentHash hash)
    {
        var destination = PathFor(hash);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        try
        {
            File.Move(temporaryPath, destination, overwrite: false);
        }
        catch (IOException) when (File.Exists(destination))
        {
            File.Delete(temporaryPath);
        }

        return destination;
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
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)));
        return Path.Combine(Root, "urls", key[..2], key);
    }
}
