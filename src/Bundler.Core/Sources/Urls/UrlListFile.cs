using System.Globalization;
using Bundler.Core.Download;
using Bundler.Loader;
using Bundler.Loader.IO;

namespace Bundler.Core.Sources.Urls;

/// <summary>
/// A text file of archives to download, one a line: <c>URL [sha512-…|sha256-…] [size]</c>, fields in any order after
/// the URL (a whole number is the size, anything else the hash); <c>#</c> starts a comment and blank lines are skipped.
/// </summary>
internal static class UrlListFile
{
    public static async Task<List<DownloadRequest>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        RegularFile.Length(path, "The URL list", () => new BundleException($"The URL list {path} does not exist."));

        var requests = new List<DownloadRequest>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            number++;
            var fields = line.Split('#')[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            if (!Uri.TryCreate(fields[0], UriKind.Absolute, out var url))
            {
                throw new BundleException($"{path}:{number}: '{fields[0]}' is not an absolute URL.");
            }

            string? integrity = null;
            long? size = null;
            foreach (var field in fields.Skip(1))
            {
                if (long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    size = parsed;
                }
                else
                {
                    integrity = field;
                }
            }

            requests.Add(new DownloadRequest(url, integrity, size));
        }

        return requests;
    }
}
