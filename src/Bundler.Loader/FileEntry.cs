namespace Bundler.Loader;

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
}
