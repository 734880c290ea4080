using System.Text.Json.Serialization;

namespace Bundler.Core.Sources.Pyodide;

/// <summary>pyodide-lock.json: the packages of a Pyodide distribution by normalized name.</summary>
internal sealed record PyodideLockDocument(PyodideLockInfo? Info, Dictionary<string, PyodideLockPackage>? Packages);

internal sealed record PyodideLockInfo(string? Version, string? Python, string? Platform);

internal sealed record PyodideLockPackage(
    string? Name,
    string? Version,
    [property: JsonPropertyName("file_name")] string? FileName,
    string? Sha256,
    List<string>? Depends);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PyodideLockDocument))]
internal sealed partial class PyodideJsonContext : JsonSerializerContext;
