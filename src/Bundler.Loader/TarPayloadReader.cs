using System.Buffers;
using System.Formats.Tar;
using System.Security.Cryptography;

namespace Bundler.Loader;

/// <summary>
/// Walks the decoded tar stream entry by entry and holds it to the manifest: each entry must be the next expected
/// folder or file, with the expected name, size, mode and data offset, and each file's bytes must hash to the
/// manifest's sha256. Files are written under <c>root</c> (or only hashed when <c>root</c> is null). The stream holds
/// the frames of <c>packages</c> (all of the manifest's, or a subset in manifest order) and the trailer frame.
/// </summary>
internal sealed class TarPayloadReader(DecodedFrameStream tar, Manifest manifest, IReadOnlyList<PackageEntry> packages, string? root)
{
    private const int CopyBufferSize = 1024 * 1024;

    public long FileCount { get; private set; }

    public long FileBytes { get; private set; }

    public async Task ReadAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var reader = new TarReader(tar, leaveOpen: true);
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
                    await ReadFileAsync(reader, package, file, sha256, buffer, cancellationToken);
                }
            }

            await ReadTrailerAsync(reader, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ReadFileAsync(TarReader reader, PackageEntry package, FileEntry file, IncrementalHash sha256, byte[] buffer, CancellationToken cancellationToken)
    {
        var name = package.Folder + "/" + file.Path;
        var entry = await NextEntryAsync(reader, package, name, cancellationToken);
        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
        {
            throw Mismatch(package, name, $"a {entry.EntryType} entry where a regular file was expected (links, devices and other entry types are refused)");
        }

        if (entry.Length != file.Size || (int)entry.Mode != file.Mode || tar.Position != file.Offset)
        {
            throw Mismatch(package, name, $"size {entry.Length}, mode {Convert.ToString((int)entry.Mode, 8)} at tar offset {tar.Position}; the manifest says size {file.Size}, mode {Convert.ToString(file.Mode, 8)} at {file.Offset}");
        }

        FileStream? output = null;
        if (root is not null)
        {
            var path = EntryPath.Combine(root, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                PreallocationSize = file.Size,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = (UnixFileMode)file.Mode;
            }

            output = new FileStream(path, options);
        }

        await using (output)
        {
            long remaining = file.Size;
            var data = entry.DataStream;
            while (remaining > 0)
            {
                var read = data is null ? 0 : await data.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0)
                {
                    throw new BundleException($"The bundle is truncated: {package.Id} {package.Version} file '{file.Path}' ends {remaining} bytes early.");
                }

                sha256.AppendData(buffer, 0, read);
                output?.Write(buffer, 0, read);
                remaining -= read;
            }
        }

        var actual = Convert.ToHexStringLower(sha256.GetHashAndReset());
        if (!string.Equals(actual, file.Sha256, StringComparison.Ordinal))
        {
            throw new BundleException($"{package.Id} {package.Version} file '{file.Path}' does not match the manifest: its sha256 is {actual}, the manifest says {file.Sha256}. The bundle is corrupt or was tampered with.");
        }

        FileCount++;
        FileBytes += file.Size;
    }

    private async Task<TarEntry> NextEntryAsync(TarReader reader, PackageEntry package, string expectedName, CancellationToken cancellationToken)
    {
        var offset = tar.Position;
        TarEntry? entry;
        try
        {
            entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            throw new BundleException($"The bundle's tar stream is malformed at offset {offset} (expected '{expectedName}' of {package.Id} {package.Version}): {ex.Message}", ex);
        }

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

    private async Task ReadTrailerAsync(TarReader reader, CancellationToken cancellationToken)
    {
        var offset = tar.Position;
        TarEntry? extra;
        try
        {
            extra = await reader.GetNextEntryAsync(copyData: false, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
        {
            throw new BundleException($"The bundle's tar stream is malformed at offset {offset}, where the trailer was expected: {ex.Message}", ex);
        }

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

    private static BundleException Mismatch(PackageEntry package, string expectedName, string found) =>
        new($"The bundle's tar stream does not match its manifest: for '{expectedName}' of {package.Id} {package.Version} it has {found}. The bundle is corrupt or was tampered with.");
}
