using System.Formats.Tar;
using System.Security.Cryptography;
using SharpCompress.Archives;
using SharpCompress.Archives.Zip;
using Bundler.Loader.Archives.Zip;
using Bundler.Loader.Format;
using Bundler.Loader.IO;
using Bundler.Loader.Unpacking;

namespace Bundler.Loader.Archives;

/// <summary>
/// Extracts exactly a package's manifest files from its original archive (zip, or tar plain or compressed with
/// gzip/xz/bzip2/zstd, told by its first bytes), checking each file's size and sha256. Entries the manifest does not
/// list were left out when the bundle was made (globs, links) and are skipped; a listed file missing from the archive,
/// or found twice, is an error. A kept archive is itself the package's one file.
/// Every entry, listed or not, is held to the rules the writer applied when it packed the archive
/// (<see cref="ArchiveEntryRules"/>), and a tarball may not decompress past the expansion limits. An archive the writer
/// would have refused is refused here.
/// </summary>
internal static class ArchiveExtractor
{
    private const int CopyBufferSize = 1 << 17;

    public static void Extract(string archivePath, string where, PackageEntry package, string packageRoot, BundleLimits limits, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(packageRoot);
        // Files are found in the archive by the path they were read from; generated files are derived afterwards.
        var wanted = package.Files.Where(f => f.Generated is null).ToDictionary(f => f.From ?? f.Path, StringComparer.Ordinal);
        var written = new HashSet<string>(StringComparer.Ordinal);
        var archive = $"{where}: the archive of {package.Id} {package.Version}";
        var rules = new ArchiveEntryRules(archive, $"{package.Id} {package.Version}", limits);

        void Write(string path, Func<Stream> open)
        {
            if (!wanted.TryGetValue(path, out var file))
            {
                return;
            }

            if (!written.Add(path))
            {
                throw rules.Duplicate(path);
            }

            cancellationToken.ThrowIfCancellationRequested();
            using var stream = open();
            WriteVerified(stream, where, package, file, packageRoot);
        }

        try
        {
            if (package.KeepArchive)
            {
                Write(rules.CheckedPath(package.Archive.Name), () => File.OpenRead(archivePath));
            }
            else
            {
                switch (ArchiveFormatDetector.Detect(archivePath))
                {
                    case ArchiveFormat.Zip:
                        ExtractZip(archivePath, rules, Write);
                        break;
                    case ArchiveFormat.Unknown:
                        throw new BundleException($"{archive} is not a zip or (compressed) tar file.");
                    case var format:
                        ExtractTar(archivePath, format, rules.Budget(new FileInfo(archivePath).Length), rules, Write);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is not BundleException and not OperationCanceledException and not OutOfMemoryException)
        {
            throw new BundleException($"{archive} cannot be read: {ex.Message}", ex);
        }

        foreach (var file in package.Files.Where(f => f.Generated is not null))
        {
            using var content = new MemoryStream(NuGetLayout.GeneratedContent(file.Generated!, package.Archive.Integrity, package.Archive.ContentHash), writable: false);
            WriteVerified(content, where, package, file, packageRoot);
        }

        var missing = wanted.Keys.Where(path => !written.Contains(path)).ToList();
        if (missing.Count > 0)
        {
            throw new BundleException($"{archive} lacks {missing.Count} file(s) the manifest lists, e.g. '{missing[0]}'.");
        }
    }

    private static void ExtractZip(string archivePath, ArchiveEntryRules rules, Action<string, Func<Stream>> write)
    {
        using var streams = new ZipEntryStreams(archivePath);
        rules.CheckNoOverlap(streams);
        using var zip = ZipArchiveFile.Open(archivePath);
        foreach (var entry in zip.Entries.Cast<ZipArchiveEntry>())
        {
            // The writer refuses a zip that names a file twice, whether or not the file is selected (a tar, only when it is).
            if (rules.ZipEntryFile(entry, streams.Open, refuseEncrypted: false) is var (path, _))
            {
                write(path, () => streams.Open(entry));
            }
        }
    }

    private static void ExtractTar(string archivePath, ArchiveFormat format, ExpansionBudget budget, ArchiveEntryRules rules, Action<string, Func<Stream>> write)
    {
        var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var tar = new ExpansionBudgetStream(ArchiveDecompressor.Open(format, file), budget);
        using (var reader = new TarEntryReader(tar))
        {
            while (reader.Next(() => rules.Archive) is { } entry)
            {
                if (rules.TarEntryFile(entry) is var (path, _))
                {
                    var data = entry.DataStream ?? Stream.Null;
                    write(path, () => new NonClosingStream(data));
                }
            }
        }

        // The decompressors check their trailers (gzip's CRC, zstd's checksum) only at the end of the stream; what
        // follows the tar trailer is still charged to the expansion budget.
        tar.CopyTo(Stream.Null);
    }

    /// <summary>Writes one file create-new with its manifest mode, reading one byte past its size so that a longer entry is caught.</summary>
    internal static void WriteVerified(Stream source, string where, PackageEntry package, FileEntry file, string packageRoot)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        using (var output = TreeStaging.CreateFile(packageRoot, file.Path, file))
        {
            var buffer = new byte[(int)Math.Min(CopyBufferSize, file.Size + 1)];
            int read;
            while ((read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, file.Size - total + 1))) > 0)
            {
                total += read;
                if (total > file.Size)
                {
                    break;
                }

                sha256.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
            }
        }

        var actual = Convert.ToHexStringLower(sha256.GetHashAndReset());
        if (total != file.Size || !string.Equals(actual, file.Sha256, StringComparison.Ordinal))
        {
            throw new BundleException($"{where}: '{file.Path}' of {package.Id} {package.Version} does not match the manifest ({(total > file.Size ? "longer than" : total.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes, sha256 " + actual + " against")} {file.Size} bytes, sha256 {file.Sha256}); the archive was replaced or tampered with.");
        }
    }

    /// <summary>Lets the tar reader keep its entry stream when the caller disposes what it was handed.</summary>
    private sealed class NonClosingStream(Stream inner) : ReadOnlyForwardStream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    }
}
