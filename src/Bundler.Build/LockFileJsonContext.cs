using System.Text.Json.Serialization;

namespace Bundler.Build;

/// <summary>Source-generated JSON for <see cref="BundleLockFile"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(BundleLockFile))]
internal sealed partial class LockFileJsonContext : JsonSerializerContext;
