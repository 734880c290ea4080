using System.Text.Json.Serialization;

namespace Bundler.Core.Sources.NuGet;

/// <summary>A v3 service index (index.json): the feed's resources by type.</summary>
internal sealed record ServiceIndexDocument(List<ServiceIndexResource>? Resources);

internal sealed record ServiceIndexResource(
    [property: JsonPropertyName("@id")] string? Id,
    [property: JsonPropertyName("@type")] string? Type);

/// <summary>The flat container's version list of one package.</summary>
internal sealed record FlatVersionsDocument(List<string>? Versions);

/// <summary>A registration index or page: pages (or leaves) that may be inlined or need fetching by their @id.</summary>
internal sealed record RegistrationPageDocument(
    [property: JsonPropertyName("@id")] string? Id,
    string? Lower,
    string? Upper,
    List<RegistrationPageDocument>? Items,
    RegistrationCatalogEntry? CatalogEntry,
    string? PackageContent);

internal sealed record RegistrationCatalogEntry(
    string? Version,
    List<RegistrationDependencyGroup>? DependencyGroups,
    string? PackageHash,
    string? PackageHashAlgorithm,
    long? PackageSize);

internal sealed record RegistrationDependencyGroup(string? TargetFramework, List<RegistrationDependency>? Dependencies);

internal sealed record RegistrationDependency(string? Id, string? Range);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ServiceIndexDocument))]
[JsonSerializable(typeof(FlatVersionsDocument))]
[JsonSerializable(typeof(RegistrationPageDocument))]
internal sealed partial class NuGetJsonContext : JsonSerializerContext;
