using System.Globalization;

namespace Bundler.Loader.Format;

/// <summary>
/// Checks a manifest's internal consistency before any byte of payload is used: contiguous frames, packages that
/// own whole frames in order, safe unique paths, file data inside its package's range, and the size limits.
/// </summary>
internal static class ManifestValidator
{
    public static void Validate(Manifest manifest, BundleLimits limits)
    {
        if (manifest.FormatVersion != BundleFormat.Version)
        {
            Fail($"formatVersion is {manifest.FormatVersion}; expected {BundleFormat.Version}");
        }

        if (manifest.Packages is null || manifest.Frames is null || manifest.Options is null || manifest.Tool is null)
        {
            Fail("a required field (tool, options, packages or frames) is missing");
        }

        if (manifest.Options.MaxFrameSize < BundleFormat.MinFrameContentSize || manifest.Options.MaxFrameSize > BundleFormat.MaxFrameContentSize)
        {
            Fail($"options.maxFrameSize {manifest.Options.MaxFrameSize} is outside {BundleFormat.MinFrameContentSize}..{BundleFormat.MaxFrameContentSize}");
        }

        ValidateFrames(manifest);
        ValidatePackages(manifest, limits);
    }

    private static void ValidateFrames(Manifest manifest)
    {
        var frames = manifest.Frames;
        if (frames.Count == 0)
        {
            Fail("there are no frames (every bundle ends with the tar trailer frame)");
        }

        long offset = 0, tarOffset = 0;
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i] ?? throw Error($"frame {i} is null");
            if (frame.Offset != offset || frame.TarOffset != tarOffset)
            {
                Fail($"frame {i} is not contiguous with the one before it (offset {frame.Offset}, expected {offset}; tarOffset {frame.TarOffset}, expected {tarOffset})");
            }

            var maxTarSize = i == frames.Count - 1 ? BundleFormat.TarTrailerSize : manifest.Options.MaxFrameSize;
            if (frame.TarSize <= 0 || frame.TarSize > maxTarSize || frame.TarSize % BundleFormat.TarBlockSize != 0)
            {
                Fail($"frame {i} has tarSize {frame.TarSize}; it must be a positive multiple of 512 of at most {maxTarSize} (options.maxFrameSize)");
            }

            if (frame.Size <= 0 || frame.Size > BundleFormat.MaxCompressedFrameSize(frame.TarSize))
            {
                Fail($"frame {i} has size {frame.Size}, implausible for {frame.TarSize} bytes of content");
            }

            offset += frame.Size;
            tarOffset += frame.TarSize;
        }

        if (offset != manifest.PayloadSize || tarOffset != manifest.TarSize)
        {
            Fail($"the frames add up to {offset} payload bytes and {tarOffset} tar bytes, but the manifest says {manifest.PayloadSize} and {manifest.TarSize}");
        }

        var trailer = frames[^1];
        if (trailer.TarSize != BundleFormat.TarTrailerSize)
        {
            Fail($"the last frame must hold only the {BundleFormat.TarTrailerSize}-byte tar trailer, but holds {trailer.TarSize} bytes");
        }
    }

    private static void ValidatePackages(Manifest manifest, BundleLimits limits)
    {
        var frames = manifest.Frames;
        var nextFrame = 0;
        long totalSize = 0, fileCount = 0;
        string? previousFolder = null;
        var folders = new PathCollisionChecker();

        for (var p = 0; p < manifest.Packages.Count; p++)
        {
            var package = manifest.Packages[p] ?? throw Error($"package {p} is null");
            var name = $"package {p} ({package.Id} {package.Version})";
            if (package.Id is null || package.Version is null || package.Files is null || package.Archive is null || package.Source is null
                || package.Archive.Name is null || package.Archive.Integrity is null)
            {
                Fail($"package {p} lacks its id, version, source, archive (name, integrity) or files");
            }

            ValidateIdentity(package, name);
            if (package.Archive.ContentHash is { } contentHash && (package.Layout != NuGetLayout.Name || !contentHash.StartsWith("sha512-", StringComparison.Ordinal)))
            {
                Fail($"{name} has the content hash '{contentHash}'; only a NuGet-layout package has one, and it is sha512-");
            }

            if (previousFolder is not null && string.CompareOrdinal(previousFolder, package.Folder) >= 0)
            {
                Fail($"{name} is out of order or repeated: packages are sorted by their folder 'id/version' (ordinal)");
            }

            var folderCollision = folders.Add(package.Folder);
            if (folderCollision is not null)
            {
                Fail($"{name} collides with another package's folder: {folderCollision}");
            }

            previousFolder = package.Folder;

            if (package.FirstFrame != nextFrame || package.FrameCount <= 0 || (long)package.FirstFrame + package.FrameCount > frames.Count - 1)
            {
                Fail($"{name} claims frames {package.FirstFrame}..{package.FirstFrame + package.FrameCount - 1}; expected to start at frame {nextFrame} and end before the trailer frame");
            }

            long packageTarSize = 0;
            for (var f = package.FirstFrame; f < package.FirstFrame + package.FrameCount; f++)
            {
                packageTarSize += frames[f].TarSize;
            }

            if (package.TarOffset != frames[package.FirstFrame].TarOffset || package.TarSize != packageTarSize)
            {
                Fail($"{name}'s tar range ({package.TarOffset}, {package.TarSize} bytes) does not match its frames ({frames[package.FirstFrame].TarOffset}, {packageTarSize} bytes)");
            }

            nextFrame = package.FirstFrame + package.FrameCount;
            ValidateFiles(package, name, limits, ref totalSize, ref fileCount);
        }

        if (nextFrame != frames.Count - 1)
        {
            Fail($"frames {nextFrame}..{frames.Count - 2} belong to no package");
        }

        if (totalSize > limits.MaxTotalSize)
        {
            Fail($"its files add up to {totalSize} bytes, over the limit of {limits.MaxTotalSize} (BundleLimits.MaxTotalSize)");
        }
    }

    private static void ValidateIdentity(PackageEntry package, string name)
    {
        var problem = IdentityProblem(package.Id, package.Version);
        if (problem is not null)
        {
            Fail($"{name} has {problem}");
        }
    }

    /// <summary>Why an id and version cannot name a package folder <c>id/version</c>, or null when they can.</summary>
    internal static string? IdentityProblem(string id, string version)
    {
        var idSegments = id.Split('/');
        if (!EntryPath.IsValid(id, 256) || !(idSegments.Length == 1 || (idSegments.Length == 2 && idSegments[0].StartsWith('@'))))
        {
            return "an unsafe id; an id is one path segment, or '@scope/name'";
        }

        if (!EntryPath.IsValid(version, 128) || version.Contains('/', StringComparison.Ordinal))
        {
            return "an unsafe version; a version is one path segment";
        }

        return null;
    }

    private static void ValidateFiles(PackageEntry package, string name, BundleLimits limits, ref long totalSize, ref long fileCount)
    {
        var packageEnd = package.TarOffset + package.TarSize;
        var paths = new PathCollisionChecker();
        // The package's folder entry is one header block; each file needs at least one header block before its data.
        var minimumNextOffset = package.TarOffset + 2 * BundleFormat.TarBlockSize;
        string? previousPath = null;

        foreach (var file in package.Files)
        {
            if (file?.Path is null || file.Sha256 is null)
            {
                Fail($"{name} has a file entry without path or sha256");
            }

            var problem = EntryPath.Problem(file.Path, limits.MaxPathLength);
            if (problem is not null)
            {
                Fail($"{name} has a file '{file.Path}' whose path is unsafe: {problem}");
            }

            if (previousPath is not null && string.CompareOrdinal(previousPath, file.Path) >= 0)
            {
                Fail($"{name} lists '{file.Path}' out of order or twice: files are sorted by path (ordinal)");
            }

            var collision = paths.Add(file.Path);
            if (collision is not null)
            {
                Fail($"{name} has colliding paths: {collision}");
            }

            previousPath = file.Path;
            if (file.Size < 0 || file.Size > limits.MaxFileSize)
            {
                Fail($"{name} has '{file.Path}' of {file.Size} bytes; files may have 0 to {limits.MaxFileSize} bytes (BundleLimits.MaxFileSize)");
            }

            if (file.Mode is not (BundleFormat.RegularFileMode or BundleFormat.ExecutableFileMode))
            {
                Fail($"{name} has '{file.Path}' with mode {Convert.ToString(file.Mode, 8)}; only 644 and 755 are allowed");
            }

            if (file.Sha256.Length != 64 || !file.Sha256.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)))
            {
                Fail($"{name} has '{file.Path}' with a sha256 that is not 64 lower-case hex digits");
            }

            if (file.Offset % BundleFormat.TarBlockSize != 0 || file.Offset < minimumNextOffset || file.Offset > packageEnd || file.Offset + file.Size > packageEnd)
            {
                Fail($"{name} has '{file.Path}' at tar offset {file.Offset}, outside its package's range or overlapping the entry before it");
            }

            if (file.From is not null && EntryPath.Problem(file.From, limits.MaxPathLength) is { } fromProblem)
            {
                Fail($"{name} has '{file.Path}' read from an unsafe archive path: {fromProblem}");
            }

            if (file.Generated is not null && (package.Layout != NuGetLayout.Name || file.Generated is not (NuGetLayout.Sha512File or NuGetLayout.MetadataFile)))
            {
                Fail($"{name} has '{file.Path}' generated as '{file.Generated}', which its layout does not define");
            }

            minimumNextOffset = file.Offset + BundleFormat.PadToBlock(file.Size) + BundleFormat.TarBlockSize;
            totalSize += file.Size;
            if (++fileCount > limits.MaxFileCount)
            {
                Fail($"it has more than {limits.MaxFileCount} files (BundleLimits.MaxFileCount)");
            }
        }
    }

    private static BundleException Error(string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The bundle's manifest is invalid: {problem}."));

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(string problem) => throw Error(problem);
}
