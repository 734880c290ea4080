using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Bundler.Loader.Format;

/// <summary>
/// The manifest's one JSON shape: camelCase, compact, nulls omitted, properties in declaration order, non-ASCII
/// written as UTF-8. Writers must produce identical bytes for identical manifests, so this is the only serializer.
/// </summary>
internal static class ManifestJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
        MaxDepth = 16,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        TypeInfoResolver = ManifestJsonContext.Default,
    };

    private static readonly JsonTypeInfo<Manifest> TypeInfo = (JsonTypeInfo<Manifest>)Options.GetTypeInfo(typeof(Manifest));

    private static readonly JsonTypeInfo<Manifest> IndentedTypeInfo =
        (JsonTypeInfo<Manifest>)new JsonSerializerOptions(Options) { WriteIndented = true }.GetTypeInfo(typeof(Manifest));

    public static byte[] Serialize(Manifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, TypeInfo);

    /// <summary>Writes the same bytes as <see cref="Serialize(Manifest)"/> to <paramref name="output"/> as they are made, never all of them in one buffer.</summary>
    public static void Serialize(Manifest manifest, Stream output) => JsonSerializer.Serialize(output, manifest, TypeInfo);

    /// <inheritdoc cref="Serialize(Manifest, Stream)"/>
    public static Task SerializeAsync(Manifest manifest, Stream output, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(output, manifest, TypeInfo, cancellationToken);

    /// <summary>About the length of the manifest's JSON, a little over for ASCII paths: room to serialize it without regrowing.</summary>
    public static int EstimateSize(Manifest manifest)
    {
        long size = 4096 + (manifest.Frames.Count * 96L);
        foreach (var package in manifest.Packages)
        {
            size += 512 + package.Id.Length + package.Folder.Length;
            foreach (var file in package.Files)
            {
                size += 192 + file.Path.Length + (file.From?.Length ?? 0);
            }
        }

        return (int)Math.Min(size, BundleFormat.MaxManifestJsonSize + 1L);
    }

    public static string SerializeIndented(Manifest manifest) => JsonSerializer.Serialize(manifest, IndentedTypeInfo);

    public static Manifest Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8Json, TypeInfo) ?? throw Empty();
        }
        catch (JsonException ex)
        {
            throw NotValid(ex);
        }
    }

    /// <summary>Parses the manifest as <paramref name="utf8Json"/> yields it, holding a few kilobytes of the JSON at a time, not all of it.</summary>
    public static async Task<Manifest> DeserializeAsync(Stream utf8Json, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(utf8Json, TypeInfo, cancellationToken) ?? throw Empty();
        }
        catch (JsonException ex)
        {
            throw NotValid(ex);
        }
    }

    private static BundleException Empty() => new("The bundle's manifest is empty (JSON null).");

    private static BundleException NotValid(JsonException ex) => new($"The bundle's manifest is not valid JSON of the expected shape: {ex.Message}", ex);
}

[JsonSerializable(typeof(Manifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
