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
/// Every entry, listed or not, is held to the rules the writer applied when it packed the archive: a safe path, no
/// link leaving the package, no device or FIFO, no declared size over the limit, no overlapping zip entries, and a
/// tarball may not decompress past the expansion limits. An archive the writer would have refused is refused here.
/// </summary>
internal static class ArchiveExtractor
{
    private const int CopyBufferSize = 1 << 17;
    private const int UnixTypeMask = 0xF000;
    private const int UnixRegular = 0x8000;
    private const int UnixDirectory = 0x4000;
    private const int UnixSymlink = 0xA000;

    public static void Extract(string archivePath, string where, PackageEntry package, string packageRoot, BundleLimits limits, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(packageRoot);
        // Files are found in the archive by the path they were read from; generated files are derived afterwards.
        var wanted = package.Files.Where(f => f.Generated is null).ToDictionary(f => f.From ?? f.Path, StringComparer.Ordinal);
        var written = new HashSet<string>(StringComparer.Ordinal);
        BundleException EntryError(string entry, string problem) =>
            new($"{where}: the archive of {package.Id} {package.Version} has an entry '{entry}' that {problem}. Nothing was written.");

        void Write(string rawPath, Func<Stream> open)
        {
            var path = CheckedPath(rawPath, limits, EntryError);
            if (!wanted.TryGetValue(path, out var file))
            {
                return;
            }

            if (!written.Add(path))
            {
                throw EntryError(rawPath, "appears twice");
            }

            cancellationToken.ThrowIfCancellationRequested();
            using var stream = open();
            WriteVerified(stream, where, package, file, packageRoot);
        }

        try
        {
            if (package.KeepArchive)
            {
                Write(package.Archive.Name, () => File.OpenRead(archivePath));
            }
            else
            {
                switch (ArchiveFormatDetector.Detect(archivePath))
                {
                    case ArchiveFormat.Zip:
                        ExtractZip(archivePath, limits, Write, EntryError);
                        break;
                    case ArchiveFormat.Unknown:
                        throw new BundleException($"{where}: the archive of {package.Id} {package.Version} is not a zip or (compressed) tar file.");
                    case var format:
                        var budget = new ExpansionBudget($"{where}: the archive of {package.Id} {package.Version}", new FileInfo(archivePath).Length, limits);
                        ExtractTar(archivePath, format, budget, limits, Write, EntryError);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is not BundleException and not OperationCanceledException and not OutOfMemoryException)
        {
            throw new BundleException($"{where}: the archive of {package.Id} {package.Version} cannot be read: {ex.Message}", ex);
        }

        foreach (var file in package.Files.Where(f => f.Generated is not null))
        {
            using var content = new MemoryStream(NuGetLayout.GeneratedContent(file.Generated!, package.Archive.Integrity), writable: false);
            WriteVerified(content, where, package, file, packageRoot);
        }

        var missing = wanted.Keys.Where(path => !written.Contains(path)).ToList();
        if (missing.Count > 0)
        {
            throw new BundleException($"{where}: the archive of {package.Id} {package.Version} lacks {missing.Count} file(s) the manifest lists, e.g. '{missing[0]}'.");
        }
    }

    private static void ExtractZip(string archivePath, BundleLimits limits, Action<string, Func<Stream>> write, Func<string, string, BundleException> error)
    {
        using var streams = new ZipEntryStreams(archivePath);
        if (streams.FindOverlap() is var (overlapping, overlapped))
        {
            throw error(overlapping, $"overlaps the bytes of '{overlapped}' (a zip bomb made of overlapping entries)");
        }

        // The writer refuses a zip that names a file twice, whether or not the file is selected (a tar, only when it is).
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var zip = ArchiveFactory.OpenArchive(archivePath);
        foreach (var entry in zip.Entries.Cast<ZipArchiveEntry>())
        {
            var type = (int)((entry.Attrib ?? 0) >>> 16) & UnixTypeMask;
            if (entry.IsDirectory || type == UnixDirectory)
            {
                continue;
            }

            var name = entry.Key ?? "";
            if (type == UnixSymlink)
            {
                var path = CheckedPath(name, limits, error);
                if (entry.Size > ZipLinkTarget.MaxSize)
                {
                    throw error(name, "is a symbolic link with an implausibly long target");
                }

                string target;
                try
                {
                    using var stream = streams.Open(entry);
                    target = ZipLinkTarget.Read(stream, entry.Size);
                }
                catch (InvalidDataException ex)
                {
                    throw error(name, $"is a symbolic link, and {ex.Message}");
                }

                CheckLink(path, target, "symbolic link", targetIsFromRoot: false, error);
                continue;
            }

            if (type != 0 && type != UnixRegular)
            {
                throw error(name, $"is a special file (unix type 0{Convert.ToString(type >> 12, 8)}); only regular files can be loaded");
            }

            CheckDeclaredSize(name, entry.Size, limits, error, entry.CompressedSize);
            if (!names.Add(CheckedPath(name, limits, error)))
            {
                throw error(name, "appears twice");
            }

            write(name, () => streams.Open(entry));
        }
    }

    private static void ExtractTar(string archivePath, ArchiveFormat format, ExpansionBudget budget, BundleLimits limits, Action<string, Func<Stream>> write, Func<string, string, BundleException> error)
    {
        var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var tar = new ExpansionBudgetStream(ArchiveDecompressor.Open(format, file), budget);
        using (var reader = new TarReader(tar, leaveOpen: true))
        {
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory or TarEntryType.GlobalExtendedAttributes:
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        CheckDeclaredSize(entry.Name, entry.Length, limits, error);
                        var data = entry.DataStream ?? Stream.Null;
                        write(entry.Name, () => new NonClosingStream(data));
                        break;
                    case TarEntryType.SymbolicLink:
                        CheckLink(CheckedPath(entry.Name, limits, error), entry.LinkName, "symbolic link", targetIsFromRoot: false, error);
                        break;
                    case TarEntryType.HardLink:
                        CheckLink(CheckedPath(entry.Name, limits, error), entry.LinkName, "hard link", targetIsFromRoot: true, error);
                        break;
                    default:
                        throw error(entry.Name, $"is a {entry.EntryType} entry; only regular files can be loaded");
                }
            }
        }

        // The decompressors check their trailers (gzip's CRC, zstd's checksum) only at the end of the stream; what
        // follows the tar trailer is still charged to the expansion budget.
        tar.CopyTo(Stream.Null);
    }

    /// <summary>The normalized path of an archive entry; throws naming the entry when it is not safe.</summary>
    private static string CheckedPath(string rawPath, BundleLimits limits, Func<string, string, BundleException> error)
    {
        var path = EntryPath.FromArchiveEntry(rawPath);
        return EntryPath.Problem(path, limits.MaxPathLength) is { } problem ? throw error(rawPath, $"has an unsafe path: {problem}") : path;
    }

    /// <summary>Links are never written (bundles hold regular files only); one that leaves the package marks a hostile archive.</summary>
    private static void CheckLink(string path, string target, string kind, bool targetIsFromRoot, Func<string, string, BundleException> error)
    {
        if (EntryPath.ResolveLink(path, target, targetIsFromRoot) is null)
        {
            throw error(path, $"is a {kind} to '{target}', outside the package");
        }
    }

    private static void CheckDeclaredSize(string name, long size, BundleLimits limits, Func<string, string, BundleException> error, long? compressedSize = null)
    {
        if (size < 0 || size > limits.MaxFileSize)
        {
            throw error(name, $"declares {size} bytes; files may have at most {limits.MaxFileSize} (BundleLimits.MaxFileSize)");
        }

        if (compressedSize is { } compressed && size > limits.CompressionRatioThreshold && size > limits.MaxCompressionRatio * Math.Max(1, compressed))
        {
            throw error(name, $"declares a compression ratio over {limits.MaxCompressionRatio}:1 ({size} bytes from {compressed}); refusing it as a zip bomb (BundleLimits.MaxCompressionRatio)");
        }
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
