using Bundler.Core.Writing;

namespace Bundler.Core.Publishing;

/// <summary>What <see cref="Publisher"/> wrote.</summary>
public sealed record PublishResult
{
    /// <summary>The publish location: the full path of the folder, or the store's URL of the prefix.</summary>
    public required string Location { get; init; }

    /// <summary>The bundle (its path is where the publish location holds it).</summary>
    public required BundleWriteResult Bundle { get; init; }

    /// <summary>Bytes of the original archives the publish location holds for this bundle.</summary>
    public required long ArchiveBytes { get; init; }

    /// <summary>Objects this publish names (bundle, manifest, signature, archives; not the entry point).</summary>
    public required int Objects { get; init; }

    /// <summary>Files written by this publish, the entry point included: objects that were not there yet, and the entry point when it changed.</summary>
    public required int UploadedFiles { get; init; }

    /// <summary>Bytes of <see cref="UploadedFiles"/>; 0 when the same set is published again unsigned.</summary>
    public required long UploadedBytes { get; init; }
}
