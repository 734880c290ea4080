using System.Text.Json.Serialization;

namespace Bundler.Core.Sources.Npm;

/// <summary>An npm packument (abbreviated or full): every version's manifest and the dist-tags.</summary>
internal sealed record NpmPackument(
    string? Name,
    [property: JsonPropertyName("dist-tags")] Dictionary<string, string>? DistTags,
    Dictionary<string, NpmVersionManifest>? Versions);

internal sealed record NpmVersionManifest(
    string? Version,
    NpmDist? Dist,
    Dictionary<string, string>? Dependencies,
    Dictionary<string, string>? OptionalDependencies,
    Dictionary<string, string>? PeerDependencies,
    Dictionary<string, NpmPeerMeta>? PeerDependenciesMeta,
    [property: JsonConverter(typeof(DeprecatedConverter))] string? Deprecated);

internal sealed record NpmDist(string? Tarball, string? Integrity, string? Shasum);

internal sealed record NpmPeerMeta(bool Optional);

/// <summary>"deprecated" is a message, but some packuments carry <c>false</c> or <c>true</c>.</summary>
internal sealed class DeprecatedConverter : JsonConverter<string?>
{
    public override string? Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) => reader.TokenType switch
    {
        System.Text.Json.JsonTokenType.String => reader.GetString() is { Length: > 0 } message ? message : null,
        System.Text.Json.JsonTokenType.True => "deprecated",
        _ => null,
    };

    public override void Write(System.Text.Json.Utf8JsonWriter writer, string? value, System.Text.Json.JsonSerializerOptions options) => writer.WriteStringValue(value);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NpmPackument))]
internal sealed partial class NpmJsonContext : JsonSerializerContext;
