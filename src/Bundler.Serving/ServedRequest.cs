using System.Text.Json.Serialization;
using Bundler.Serving.Faults;

namespace Bundler.Serving;

/// <summary>
/// One request as the server handled it. Times are relative to the server's start; JSON gives them in milliseconds.
/// <see cref="Fault"/> names the injected faults that took effect ("reset", "500"; several joined by '+'), or is null.
/// </summary>
internal sealed record ServedRequest(
    [property: JsonPropertyName("startMs")] TimeSpan Start,
    string Method,
    string Path,
    string? Range,
    int Status,
    long Bytes,
    [property: JsonPropertyName("firstByteMs")] TimeSpan FirstByte,
    [property: JsonPropertyName("durationMs")] TimeSpan Duration,
    string Connection,
    string Protocol,
    string? Fault = null);
