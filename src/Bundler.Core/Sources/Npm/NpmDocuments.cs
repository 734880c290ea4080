using System.Text.Json.Serialization;
using Bundler.Core.Download;

namespace Bundler.Core.Sources.Npm;

/// <summary>An npm packument (abbreviated or full): every version's manifest and the dist-tags.</summary>
internal sealed record NpmPackument(
    string? Name,
    [property: JsonPropertyName("dist-tags")] Dictionary<string, string>? DistTags,
    Dictionary<string, NpmVersionManifest>? Versions);

internal sealed record NpmVersionManifest(
    string? Version,
    NpmDist? Dist,
    [property: JsonConverter(typeof(LenientStringMapConverter))] Dictionary<string, string>? Dependencies,
    [property: JsonConverter(typeof(LenientStringMapConverter))] Dictionary<string, string>? OptionalDependencies,
    [property: JsonConverter(typeof(LenientStringMapConverter))] Dictionary<string, string>? PeerDependencies,
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

/// <summary>
/// Dependency maps as npm itself reads them: old packuments carry arrays or other shapes where a map belongs, and
/// npm ignores those, as it ignores entries whose range is not a string.
/// </summary>
internal sealed class LenientStringMapConverter : JsonConverter<Dictionary<string, string>?>
{
    public override Dictionary<string, string>? Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options)
    {
        if (reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
        {
            reader.TrySkip();
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == System.Text.Json.JsonTokenType.String)
            {
                map[name] = reader.GetString()!;
            }
            else
            {
                reader.TrySkip();
            }
        }

        return map;
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, Dictionary<string, string>? value, System.Text.Json.JsonSerializerOptions options) =>
        throw new NotSupportedException();
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NpmPackument))]
internal sealed partial class NpmJsonContext : JsonSerializerContext;
