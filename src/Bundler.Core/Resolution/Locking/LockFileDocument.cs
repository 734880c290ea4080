using System.Text.Json.Serialization;
using Bundler.Core.Download;

namespace Bundler.Core.Resolution.Locking;

/// <summary>
/// bundle.lock.json: the resolved set, with the hash of the bundle.json it was resolved from (none in a project's lock
/// file, whose items are read again every build).
/// </summary>
internal sealed record LockFileDocument
{
    public const int CurrentVersion = 1;

    public required int LockVersion { get; init; }

    /// <summary>sha256 of the bundle.json bytes this lock was written for.</summary>
    public string? BundleJson { get; init; }

    public required List<LockedPackage> Packages { get; init; }
}

/// <summary>
/// One package of bundle.lock.json. Never holds credentials: URLs are as the feeds publish them; a folder archive's
/// URL is relative to the lock file, so that a committed lock holds on any checkout.
/// </summary>
internal sealed record LockedPackage
{
    public required string Source { get; init; }

    public required string Type { get; init; }

    public required string Id { get; init; }

    public required string Version { get; init; }

    public required string Url { get; init; }

    public long? Size { get; init; }

    public string? Integrity { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Direct { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool KeepArchive { get; init; }

    public List<string>? Include { get; init; }

    public List<string>? Exclude { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    NewLine = "\n",
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(LockFileDocument))]
internal sealed partial class LockFileJsonContext : JsonSerializerContext;
