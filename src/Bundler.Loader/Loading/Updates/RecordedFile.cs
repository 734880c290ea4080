namespace Bundler.Loader.Loading.Updates;

/// <summary>One file a load placed, as the manifest described it and as it was on disk right after it was written.</summary>
internal sealed record RecordedFile
{
    /// <summary>Path inside the package folder, '/'-separated.</summary>
    public required string Path { get; init; }

    public required long Size { get; init; }

    /// <summary>The manifest's permission bits (what the file was checked against).</summary>
    public required int Mode { get; init; }

    public required string Sha256 { get; init; }

    /// <summary>The file's permission bits on disk after the load (the process's umask may have cleared some); 0 on Windows.</summary>
    public required int DiskMode { get; init; }

    /// <summary>The file's last write time after the load, in UTC ticks.</summary>
    public required long Modified { get; init; }
}
