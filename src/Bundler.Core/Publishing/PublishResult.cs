using Bundler.Core.Writing;

namespace Bundler.Core.Publishing;

/// <summary>What <see cref="PublishFolderWriter"/> wrote.</summary>
public sealed record PublishResult
{
    /// <summary>Full path of the publish folder.</summary>
    public required string Directory { get; init; }

    /// <summary>The bundle inside it (its path is inside the folder).</summary>
    public required BundleWriteResult Bundle { get; init; }

    /// <summary>Bytes of the original archives copied to <c>files/</c>.</summary>
    public required long ArchiveBytes { get; init; }
}
