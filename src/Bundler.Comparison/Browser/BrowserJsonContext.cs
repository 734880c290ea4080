using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bundler.Comparison.Browser;

/// <summary>The JSON the tool exchanges with Chromium and the harness page, generated at build time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BrowserLoadResult))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class BrowserJsonContext : JsonSerializerContext;
