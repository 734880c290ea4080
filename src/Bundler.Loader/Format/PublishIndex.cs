using System.Text.Json;
using Bundler.Loader.Trust;

namespace Bundler.Loader.Format;

/// <summary>
/// <c>index.json</c>, the one mutable file of a publish location (docs/FORMAT.md §12.2): it names the current bundle,
/// its manifest JSON and its signature file, objects that were all written before it. Compact JSON, at most
/// <see cref="MaxSize"/> bytes, unknown members ignored.
/// </summary>
internal sealed record PublishIndex
{
    public const int Version = 1;

    /// <summary>Largest index a reader accepts (a few hundred bytes in practice).</summary>
    public const int MaxSize = 64 * 1024;

    public int FormatVersion { get; init; } = Version;

    /// <summary>The bundle's integrity (§13.1), for people and pipelines; readers pin with their own copy of it.</summary>
    public required string Integrity { get; init; }

    /// <summary>The bundle's object name, relative to the publish location.</summary>
    public required string Bundle { get; init; }

    /// <summary>The manifest JSON's object name, relative to the publish location.</summary>
    public required string Manifest { get; init; }

    /// <summary>The signature file's object name, or null when the bundle is not signed.</summary>
    public string? Signature { get; init; }

    public byte[] ToJson() => [.. JsonSerializer.SerializeToUtf8Bytes(this, PublishIndexJsonContext.Default.PublishIndex), (byte)'\n'];

    /// <summary>The index in <paramref name="json"/>; throws <see cref="BundleException"/> saying what is wrong with it.</summary>
    public static PublishIndex Parse(ReadOnlySpan<byte> json)
    {
        PublishIndex? index;
        try
        {
            index = json.Length > MaxSize ? null : JsonSerializer.Deserialize(json, PublishIndexJsonContext.Default.PublishIndex);
        }
        catch (JsonException ex)
        {
            throw new BundleException($"it is not a publish index: {ex.Message}", ex);
        }

        if (index is null)
        {
            throw new BundleException($"it is not a publish index of at most {MaxSize} bytes");
        }

        if (index.FormatVersion != Version)
        {
            throw new BundleException($"it has formatVersion {index.FormatVersion}; this loader reads version {Version}. Update Bundler.Loader.");
        }

        var problem = ManifestIntegrity.Problem(index.Integrity ?? "")
            ?? NameProblem(index.Bundle, "bundle") ?? NameProblem(index.Manifest, "manifest")
            ?? (index.Signature is null ? null : NameProblem(index.Signature, "signature"));
        return problem is null ? index : throw new BundleException($"it is not a valid publish index: {problem}");
    }

    private static string? NameProblem(string? name, string member) =>
        name is null ? $"it has no '{member}'"
        : EntryPath.Problem(name) is { } problem ? $"its '{member}' '{name}' is not a relative name inside the publish location ({problem})"
        : null;
}
