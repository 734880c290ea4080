using System.Text.Json.Serialization;

namespace Bundler.Serving;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(MillisecondsJsonConverter)])]
[JsonSerializable(typeof(ServedRequest))]
internal sealed partial class ServeJsonContext : JsonSerializerContext;
