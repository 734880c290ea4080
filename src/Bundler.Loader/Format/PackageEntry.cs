namespace Bundler.Loader.Format;

/// <summary>One package of a bundle: its identity, original archive, frames and files.</summary>
public sealed record PackageEntry
{
    /// <summary>The package id, as the source names it (one path segment, or <c>@scope/name</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The exact version, as the source names it (one path segment).</summary>
    public required string Version { get; init; }

    /// <summary>Name of the source the package came from (e.g. <c>folder</c>, <c>nuget</c>).</summary>
    public required string Source { get; init; }

    /// <summary>The original archive.</summary>
    public required ArchiveInfo Archive { get; init; }

    /// <summary>True when the archive was stored whole instead of extracted: then it is the package's one file.</summary>
    public bool KeepArchive { get; init; }

    /// <summary>Include globs used to select files, when not the default (all files).</summary>
    public IReadOnlyList<string>? Include { get; init; }

    /// <summary>Exclude globs used to select files, when any.</summary>
    public IReadOnlyList<string>? Exclude { get; init; }

    /// <summary>Offset of the package's first byte (its folder entry) in the uncompressed tar stream.</summary>
    public required long TarOffset { get; init; }

    /// <summary>Length of the package's part of the tar stream: the sum of its frames' content.</summary>
    public required long TarSize { get; init; }

    /// <summary>Index of the package's first frame; its frames follow one another.</summary>
    public required int FirstFrame { get; init; }

    /// <summary>Number of frames the package spans; no frame holds bytes of two packages.</summary>
    public required int FrameCount { get; init; }

    /// <summary>The package's files, sorted by path (ordinal), in the order their bytes appear.</summary>
    public required IReadOnlyList<FileEntry> Files { get; init; }

    /// <summary>How the package's files are laid out: null for the archive's own paths, <c>nuget</c> for a NuGet global packages folder.</summary>
    public string? Layout { get; init; }

    /// <summary>The package's folder in the loaded tree and in the tar stream: <c>id/version</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Folder => Id + "/" + Version;
}
