namespace Bundler.Loader.Format;

/// <summary>One file of a package: where its bytes lie in the tar stream and what they must hash to.</summary>
public sealed record FileEntry
{
    /// <summary>Path inside the package folder, '/'-separated, validated by <see cref="EntryPath"/>.</summary>
    public required string Path { get; init; }

    /// <summary>Size of the file in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>POSIX permission bits: 420 (0644) or 493 (0755).</summary>
    public required int Mode { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Offset of the file's first data byte in the uncompressed tar stream.</summary>
    public required long Offset { get; init; }

    /// <summary>The archive path the file was read from, when it differs from <see cref="Path"/> (the nuspec of a NuGet-layout package).</summary>
    public string? From { get; init; }

    /// <summary>When set, the file is not in the archive but derived from it: <c>nupkg.sha512</c> or <c>nupkg.metadata</c> (NuGet layout).</summary>
    public string? Generated { get; init; }
}
