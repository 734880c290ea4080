using System.Text.Json.Serialization;

namespace Bundler.Loader.Loading.Updates;

/// <summary>The JSON shape of <see cref="LoadRecord"/>: camelCase, compact, nulls omitted, unknown members ignored.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 8)]
[JsonSerializable(typeof(LoadRecord))]
internal sealed partial class LoadRecordJsonContext : JsonSerializerContext;
