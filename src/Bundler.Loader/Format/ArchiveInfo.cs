namespace Bundler.Loader.Format;

/// <summary>The original archive a package was made from.</summary>
public sealed record ArchiveInfo
{
    /// <summary>File name of the archive, as published (the many-file layout serves it under this name).</summary>
    public required string Name { get; init; }

    /// <summary>Size of the archive in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>Subresource-integrity string of the archive bytes, e.g. <c>sha512-&lt;base64&gt;</c>.</summary>
    public required string Integrity { get; init; }

    /// <summary>
    /// For a signed .nupkg in the NuGet layout, NuGet's content hash (<c>sha512-…</c> of the package without its
    /// signature), which <c>.nupkg.metadata</c> records; absent when it is the hash of the archive itself.
    /// </summary>
    public string? ContentHash { get; init; }

    /// <summary>Where the archive was fetched from, when it came over the network.</summary>
    public string? Url { get; init; }
}
