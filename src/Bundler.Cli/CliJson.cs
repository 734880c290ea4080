using System.Text.Json.Serialization;

namespace Bundler.Cli;

/// <summary>The result of <c>pack --json</c>.</summary>
internal sealed record PackSummary(string Bundle, long BundleSize, int Packages, int Files, long FileBytes, int Frames, double Seconds, IReadOnlyList<string> Warnings);

/// <summary>The result of <c>unpack --json</c> and <c>verify --json</c>.</summary>
internal sealed record UnpackSummary(string Bundle, string? Target, int Packages, long Files, long FileBytes, long BundleBytes, double Seconds);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(PackSummary))]
[JsonSerializable(typeof(UnpackSummary))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
