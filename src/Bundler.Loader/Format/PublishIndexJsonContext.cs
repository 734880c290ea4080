using System.Text.Json.Serialization;

namespace Bundler.Loader.Format;

/// <summary>The JSON shape of <see cref="PublishIndex"/>: camelCase, compact, nulls omitted.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 4)]
[JsonSerializable(typeof(PublishIndex))]
internal sealed partial class PublishIndexJsonContext : JsonSerializerContext;
