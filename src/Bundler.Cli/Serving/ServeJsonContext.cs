using System.Text.Json.Serialization;

namespace Bundler.Cli.Serving;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ServedRequest))]
internal sealed partial class ServeJsonContext : JsonSerializerContext;
