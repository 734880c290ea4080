using System.Buffers;
using System.Formats.Tar;
using System.Security.Cryptography;
using Bundler.Loader.Archives;
using Bundler.Loader.Format;

namespace Bundler.Loader.Unpacking;

/// <summary>
/// Walks the decoded tar stream entry by entry and holds it to the manifest: each entry must be the next expected
/// folder or file, with the expected name, size, mode and data offset, and each file's bytes must hash to the
/// manifest's sha256. Files are written under <c>root</c> (or only hashed when <c>root</c> is null). The stream holds
/// the frames of <c>packages</c> (all of the manifest's, or a subset in manifest order) and, when
/// <c>endsWithTrailer</c>, the trailer frame; otherwise it must end where the last of <c>packages</c> ends.
/// Reading the tar stream is sequential, but hashing and writing a file is not: a file of up to
/// <see cref="ParallelFileLimit"/> bytes is read into a pooled buffer and finished on a worker while the next entries
/// are read, so small files (most of any package) do not wait on each other's hashing and file creation.
/// </summary>
internal sealed class TarPayloadReader(DecodedFrameStream tar, Manifest manifest, IReadOnlyList<PackageEntry> packages, string? root, bool endsWithTrailer = true)
{
    private const int CopyBufferSize = 1024 * 1024;
    private const int ParallelFileLimit = 1024 * 1024;

    private static readonly int MaxFilesInFlight = Math.Max(4, Environment.ProcessorCount * 2);

    public async Task ReadAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        using var stopWorkers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var workers = new FileWorkPool(MaxFilesInFlight, stopWorkers);
        try
        {
            await ReadEntriesAsync(buffer, workers, stopWorkers.Token);
        }
        catch
        {
            await stopWorkers.CancelAsync();
            await workers.DrainAsync(throwFirstError: false);
            // A worker's failure (a file that does not match the manifest) is what stopped the reader: report it.
            workers.ThrowIfFailed();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await workers.DrainAsync(throwFirstError: true);
    }

    private async Task ReadEntriesAsync(byte[] buffer, FileWorkPool workers, CancellationToken cancellationToken)
    {
        {
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var reader = new TarEntryReader(tar, isBundle: true);
            foreach (var package in packages)
            {
                var folder = await NextEntryAsync(reader, package, package.Folder + "/", cancellationToken);
                if (folder.EntryType != TarEntryType.Directory)
                {
                    throw Mismatch(package, package.Folder + "/", $"a {folder.EntryType} entry where the package folder was expected");
                }

                if (root is not null)
                {
                    Directory.CreateDirectory(EntryPath.Combine(root, package.Folder));
                }

                foreach (var file in package.Files)
                {
                    workers.ThrowIfFailed();
                    await ReadFileAsync(reader, package, file, sha256, buffer, workers, cancellationToken);
                }
            }

            if (endsWithTrailer)
            {
                await ReadTrailerAsync(reader, cancellationToken);
            }
            else
            {
                await ReadEndAsync(cancellationToken);
            }
        }
    }

    private async Task ReadFileAsync(TarEntryReader reader, PackageEntry package, FileEntry file, IncrementalHash sha256, byte[] buffer, FileWorkPool workers, CancellationToken cancellationToken)
    {
        var name = package.Folder + "/" + file.Path;
        var entry = await NextEntryAsync(reader, package, name, cancellationToken);
        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
        {
            throw Mismatch(package, name, $"a {entry.EntryType} entry where a regular file was expected (links, devices and other entry types are refused)");
        }

        if (ArchiveEntryType.OfTar(entry) is { Kind: not ArchiveEntryKind.RegularFile } type)
        {
            throw Mismatch(package, name, $"a {type.Description} where a regular file was expected");
        }

        if (entry.Length != file.Size || (int)entry.Mode != file.Mode || tar.Position != file.Offset)
        {
            throw Mismatch(package, name, $"size {entry.Length}, mode {Convert.ToString((int)entry.Mode, 8)} at tar offset {tar.Position}; the manifest says size {file.Size}, mode {Convert.ToString(file.Mode, 8)} at {file.Offset}");
        }

        if (file.Size <= ParallelFileLimit)
        {
            var data = ArrayPool<byte>.Shared.Rent((int)Math.Max(file.Size, 1));
            try
            {
                await ReadDataAsync(entry, package, file, data.AsMemory(0, (int)file.Size), cancellationToken);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(data);
                throw;
            }

            await workers.StartAsync(() => FinishBufferedFile(package, file, name, data));
            return;
        }

        await using (var output = root is null ? null : TreeStaging.CreateFile(root!, name, file))
        {
            long remaining = file.Size;
            while (remaining > 0)
            {
                var chunk = buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining));
                await ReadDataAsync(entry, package, file, chunk, cancellationToken);
                sha256.AppendData(chunk.Span);
                output?.Write(chunk.Span);
                remaining -= chunk.Length;
            }
        }

        Verify(package, file, sha256.GetHashAndReset());
    }

    /// <summary>Hashes and writes a file whose bytes are all in <paramref name="data"/>, then returns the buffer to the pool.</summary>
    private void FinishBufferedFile(PackageEntry package, FileEntry file, string name, byte[] data)
    {
        try
        {
            var bytes = data.AsSpan(0, (int)file.Size);
            Verify(package, file, SHA256.HashData(bytes));
            if (root is not null)
            {
                using var output = TreeStaging.CreateFile(root!, name, file);
                output.Write(bytes);
            }

        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }

    private static async Task ReadDataAsync(TarEntry entry, PackageEntry package, FileEntry file, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var data = entry.DataStream;
        while (!destination.IsEmpty)
        {
            var read = data is null ? 0 : await data.ReadAsync(destination, cancellationToken);
            if (read == 0)
            {
                throw new BundleException($"The bundle is truncated: {package.Id} {package.Version} file '{file.Path}' ends {destination.Length} bytes early.");
            }

            destination = destination[read..];
        }
    }


    private static void Verify(PackageEntry package, FileEntry file, byte[] hash)
    {
        var actual = Convert.ToHexStringLower(hash);
        if (!string.Equals(actual, file.Sha256, StringComparison.Ordinal))
        {
            throw new BundleException($"{package.Id} {package.Version} file '{file.Path}' does not match the manifest: its sha256 is {actual}, the manifest says {file.Sha256}. The bundle is corrupt or was tampered with.");
        }
    }

    private async Task<TarEntry> NextEntryAsync(TarEntryReader reader, PackageEntry package, string expectedName, CancellationToken cancellationToken)
    {
        var offset = tar.Position;
        var entry = await reader.NextAsync(() => $"The bundle's tar stream, where '{expectedName}' of {package.Id} {package.Version} was expected", cancellationToken);

        if (entry is null)
        {
            throw new BundleException($"The bundle's tar stream ends at offset {offset}, before '{expectedName}' of {package.Id} {package.Version}.");
        }

        if (!string.Equals(entry.Name, expectedName, StringComparison.Ordinal))
        {
            throw Mismatch(package, expectedName, $"an entry named '{entry.Name}'");
        }

        return entry;
    }

    private async Task ReadTrailerAsync(TarEntryReader reader, CancellationToken cancellationToken)
    {
        var offset = tar.Position;
        var extra = await reader.NextAsync(() => "The bundle's tar stream, where the trailer was expected", cancellationToken);

        if (extra is not null)
        {
            throw new BundleException($"The bundle's tar stream has an entry '{extra.Name}' at offset {offset} that the manifest does not list.");
        }

        var rest = new byte[BundleFormat.TarBlockSize];
        int read;
        while ((read = await tar.ReadAsync(rest, cancellationToken)) > 0)
        {
            if (rest.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                throw new BundleException($"The bundle's tar trailer is not all zeros (near offset {tar.Position}).");
            }
        }

        if (tar.Position != manifest.TarSize)
        {
            throw new BundleException($"The bundle's tar stream is {tar.Position} bytes long; the manifest says {manifest.TarSize}.");
        }
    }

    /// <summary>Checks that only the last file's padding follows the last package of a stream that has no trailer.</summary>
    private async Task ReadEndAsync(CancellationToken cancellationToken)
    {
        var rest = new byte[BundleFormat.TarBlockSize];
        var padding = 0;
        int read;
        while ((read = await tar.ReadAsync(rest, cancellationToken)) > 0)
        {
            padding += read;
            if (padding >= BundleFormat.TarBlockSize || rest.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                throw new BundleException($"The bundle's tar stream has data near offset {tar.Position} that the manifest does not list.");
            }
        }

        var last = packages[^1];
        if (tar.Position != last.TarOffset + last.TarSize)
        {
            throw new BundleException($"The bundle's tar stream for {last.Id} {last.Version} ends at offset {tar.Position}; the manifest says {last.TarOffset + last.TarSize}.");
        }
    }

    private static BundleException Mismatch(PackageEntry package, string expectedName, string found) =>
        new($"The bundle's tar stream does not match its manifest: for '{expectedName}' of {package.Id} {package.Version} it has {found}. The bundle is corrupt or was tampered with.");
}
