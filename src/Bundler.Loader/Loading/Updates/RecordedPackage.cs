namespace Bundler.Loader.Loading.Updates;

/// <summary>One package folder a load placed in its target, with every file it wrote there.</summary>
internal sealed record RecordedPackage
{
    public required string Id { get; init; }

    public required string Version { get; init; }

    /// <summary>The files in manifest order.</summary>
    public required IReadOnlyList<RecordedFile> Files { get; init; }

    /// <summary>The package's folder in the target: <c>id/version</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Folder => Id + "/" + Version;
}
