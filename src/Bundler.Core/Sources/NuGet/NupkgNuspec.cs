using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;
using Bundler.Core.IO;
using Bundler.Loader;

namespace Bundler.Core.Sources.NuGet;

/// <summary>
/// The .nuspec inside a .nupkg, for feeds that do not serve it on its own: the package is streamed to a temporary
/// file (hashed on the way, giving the sha512 a global packages folder records), and the one root-level .nuspec read.
/// </summary>
internal static class NupkgNuspec
{
    private const long MaxNuspecBytes = 16L << 20;

    public static async Task<(XDocument Nuspec, string Sha512, long Size)> ReadAsync(SourceHttp http, Uri url, string package, CancellationToken cancellationToken)
    {
        // Deleted on close; a killed run's is removed by the next run (it is held open without sharing meanwhile).
        AbandonedTemporaries.RemoveFilesOnce(Path.GetTempPath(), "bundler-*.nupkg");
        var temporary = Path.Combine(Path.GetTempPath(), $"bundler-{Guid.NewGuid():N}.nupkg");
        await using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        await using (var body = await http.GetStreamAsync(url, cancellationToken)
            ?? throw new BundleException($"Source '{http.SourceName}': {package} is listed in the flat container, but neither its .nuspec nor its .nupkg ({url}) is there (404)."))
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha512.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        file.Position = 0;
        try
        {
            await using var zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
            var entries = zip.Entries.Where(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase)).ToList();
            if (entries.Count != 1 || entries[0].Length > MaxNuspecBytes)
            {
                throw new BundleException($"Source '{http.SourceName}': {url} ({package}) does not hold exactly one root .nuspec of at most {MaxNuspecBytes} bytes.");
            }

            await using var nuspec = await entries[0].OpenAsync(cancellationToken);
            var document = await XDocument.LoadAsync(nuspec, System.Xml.Linq.LoadOptions.None, cancellationToken);
            return (document, Convert.ToBase64String(sha512.GetHashAndReset()), file.Length);
        }
        catch (InvalidDataException ex)
        {
            throw new BundleException($"Source '{http.SourceName}': {url} ({package}) is not a valid .nupkg (zip): {ex.Message}", ex);
        }
    }
}
