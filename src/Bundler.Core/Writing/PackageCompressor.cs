using System.Security.Cryptography;
using Bundler.Core.Archives;
using Bundler.Core.Download;
using Bundler.Loader;
using Bundler.Loader.Format;

namespace Bundler.Core.Writing;

/// <summary>
/// Turns one package into its compressed frames, independently of every other package: opens and checks its archive,
/// selects and sorts its files, writes them as a tar stream starting at 0 and cuts and compresses it into frames in
/// the spill file. A package's frames never depend on the packages before it, so packages can be compressed as their
/// archives arrive, in any order, and still assemble into the same bytes.
/// </summary>
internal sealed class PackageCompressor(BundleWriterOptions options, SpillFile spill, string scratch, SemaphoreSlim compressionSlots)
{
    /// <summary>Frames of one package cut and waiting for compression or the spill file, at most.</summary>
    private const int QueuedFrames = 2;

    public async Task<CompressedPackage> CompressAsync(PackageInput input, CancellationToken cancellationToken)
    {
        using var plan = await PlanAsync(input, options.Limits, scratch, cancellationToken);
        await using var pipeline = new FramePipeline(spill, options.MaxFrameSize, options.CompressionLevel, QueuedFrames, compressionSlots, ExpectedTarSize(plan), cancellationToken);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await WriteHeaderAsync(pipeline, input.Folder + "/", 0, BundleFormat.DirectoryMode, TarHeaderWriter.Directory);
        var files = new List<FileEntry>(plan.Files.Count);
        foreach (var file in plan.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await WriteHeaderAsync(pipeline, input.Folder + "/" + file.Path, file.Size, file.Mode, TarHeaderWriter.RegularFile);
            var offset = pipeline.TarPosition;
            await using (var data = file.Content is null ? plan.Archive.OpenFile(file) : new MemoryStream(file.Content, writable: false))
            {
                await CopyAsync(data, file.Size, pipeline, sha256);
            }

            await pipeline.WriteZerosAsync((int)(BundleFormat.PadToBlock(file.Size) - file.Size));
            files.Add(new FileEntry { Path = file.Path, Size = file.Size, Mode = file.Mode, Sha256 = Convert.ToHexStringLower(sha256.GetHashAndReset()), Offset = offset, From = file.From, Generated = file.Generated });
        }

        var tarSize = pipeline.TarPosition;
        var frames = await pipeline.CompleteAsync();
        var entry = new PackageEntry
        {
            Id = input.Id,
            Version = input.Version,
            Source = input.Source,
            Archive = new ArchiveInfo { Name = input.EffectiveArchiveName, Size = plan.Archive.ArchiveSize, Integrity = plan.Integrity, ContentHash = plan.ContentHash, Url = input.Url },
            KeepArchive = input.KeepArchive,
            Include = input.KeepArchive || input.Include.Count == 0 ? null : input.Include,
            Exclude = input.KeepArchive || input.Exclude.Count == 0 ? null : input.Exclude,
            TarOffset = 0,
            TarSize = tarSize,
            FirstFrame = 0,
            FrameCount = frames.Count,
            Files = files,
            Layout = input.NuGetLayout && !input.KeepArchive ? NuGetLayout.Name : null,
        };
        return new CompressedPackage(input, entry, frames, [.. plan.Archive.Warnings]);
    }

    /// <summary>The package's tar stream without long-name extension headers: a folder header, then each file's header and padded data.</summary>
    private static long ExpectedTarSize(PackagePlan plan) =>
        BundleFormat.TarBlockSize + plan.Files.Sum(f => BundleFormat.TarBlockSize + BundleFormat.PadToBlock(f.Size));

    private static async Task<PackagePlan> PlanAsync(PackageInput input, BundleLimits limits, string scratch, CancellationToken cancellationToken)
    {
        var archive = SourceArchive.Open(input, limits, scratch);
        try
        {
            var integrity = input.VerifiedSha512 is { } verified ? Task.FromResult(verified) : ContentHash.Sha512OfFileAsync(input.ArchivePath, cancellationToken);
            var selector = input.KeepArchive ? new FileSelector([], []) : new FileSelector(input.Include, input.Exclude);
            var files = selector.Select(archive.ListFiles(), e => e.Path).OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
            string? contentHash = null;
            if (input.NuGetLayout && !input.KeepArchive)
            {
                contentHash = await NuGetContentHash.OfSignedAsync(input.ArchivePath, cancellationToken);
                files = NuGetLayoutWriter.Apply(input, files, await integrity, contentHash);
            }

            var paths = new PathCollisionChecker();
            long total = 0;
            foreach (var file in files)
            {
                var collision = paths.Add(file.Path);
                if (collision is not null)
                {
                    throw new BundleException($"The archive '{input.ArchivePath}' of {input.Id} {input.Version} has colliding entries: {collision}. Nothing was written; exclude one of them.");
                }

                total += file.Size;
            }

            if (total > limits.MaxTotalSize)
            {
                throw new BundleException($"The archive '{input.ArchivePath}' of {input.Id} {input.Version} declares {total} bytes of files, over the limit of {limits.MaxTotalSize} (BundleLimits.MaxTotalSize).");
            }

            return new PackagePlan(input, archive, files, await integrity, contentHash);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    private static async ValueTask WriteHeaderAsync(FramePipeline pipeline, string name, long size, int mode, byte type)
    {
        var header = new byte[TarHeaderWriter.HeaderLength(name, size)];
        TarHeaderWriter.Write(header, name, size, mode, type);
        await pipeline.WriteAsync(header);
    }

    private static async ValueTask CopyAsync(Stream data, long size, FramePipeline pipeline, IncrementalHash sha256)
    {
        var remaining = size;
        while (remaining > 0)
        {
            var space = await pipeline.GetSpaceAsync();
            var read = data.Read(space.Span[..(int)Math.Min(space.Length, remaining)]);
            sha256.AppendData(space.Span[..read]);
            pipeline.Advance(read);
            remaining -= read;
        }

        // One more read: an entry with more bytes than it declared is refused by the bounded stream.
        _ = data.Read(new byte[1]);
    }
}
