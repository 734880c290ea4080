using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bundler.Loader.Loading;

/// <summary>
/// Where the time of one load went. Transfer runs from the first request to the last byte received; unpack is what
/// remained after that until the tree was in place (the work that did not overlap the transfer); wall is the whole.
/// </summary>
public sealed record LoadReport
{
    /// <summary>The mode the packages were actually loaded with (ranges falls back to bundle when the server ignores Range).</summary>
    public required LoadMode Mode { get; init; }

    /// <summary>The location loaded from: a URL or a local path.</summary>
    public required string Location { get; init; }

    /// <summary>The folder the packages were loaded into.</summary>
    public required string Target { get; init; }

    /// <summary>Number of packages loaded.</summary>
    public required int Packages { get; init; }

    /// <summary>Number of files written, each verified against the manifest.</summary>
    public required long Files { get; init; }

    /// <summary>Bytes of the files written.</summary>
    public required long FileBytes { get; init; }

    /// <summary>Bytes received: response bodies, or bytes read from local files.</summary>
    public required long TransferredBytes { get; init; }

    /// <summary>Requests sent (or files opened locally).</summary>
    public required int Requests { get; init; }

    /// <summary>Requests sent again after a failure, bodies resumed after they broke off, and archives fetched again after they did not match.</summary>
    public required int Retries { get; init; }

    /// <summary>Connections opened; null when the caller supplied the HttpClient or the location is local.</summary>
    public int? Connections { get; init; }

    /// <summary>From the start to the first response's headers.</summary>
    public required TimeSpan TimeToFirstByte { get; init; }

    /// <summary>From the first request to the last byte received.</summary>
    public required TimeSpan Transfer { get; init; }

    /// <summary>From the last byte received until the tree was in place.</summary>
    public required TimeSpan Unpack { get; init; }

    /// <summary>The whole load, start to tree in place.</summary>
    public required TimeSpan Wall { get; init; }

    /// <summary>The process's peak working set when the load ended, in bytes.</summary>
    public required long PeakMemory { get; init; }

    /// <summary>Things the caller should know, e.g. a server that ignored Range requests.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Package folders (<c>id/version</c>) already in the target as the previous load left them, kept without fetching or writing them.</summary>
    public IReadOnlyList<string> Kept { get; init; } = [];

    /// <summary>Package folders fetched and written: new, changed, or whose local copy no longer matched the previous load's record.</summary>
    public IReadOnlyList<string> Fetched { get; init; } = [];

    /// <summary>Package folders the previous load placed that are no longer selected, taken out of the target.</summary>
    public IReadOnlyList<string> Removed { get; init; } = [];

    /// <summary>What loading every selected package from nothing transfers in this mode: the bundle, or the manifest and the archives.</summary>
    public long FullLoadBytes { get; init; }

    /// <summary>Bytes not transferred thanks to the packages kept: <see cref="FullLoadBytes"/> less <see cref="TransferredBytes"/>, at least 0.</summary>
    public long SavedBytes => Math.Max(0, FullLoadBytes - TransferredBytes);

    /// <summary>The report as one JSON object (camelCase; times in seconds).</summary>
    public string ToJson() => JsonSerializer.Serialize(LoadReportDocument.From(this), LoadReportJsonContext.Default.LoadReportDocument);

    /// <summary>One line for a log: mode, counts, bytes, and where the time went.</summary>
    public string ToSummary()
    {
        var c = CultureInfo.InvariantCulture;
        var retries = Retries switch { 0 => "", 1 => " (1 retry)", _ => string.Create(c, $" ({Retries} retries)") };
        var connections = Connections is { } count ? string.Create(c, $" over {count} connections") : "";
        return string.Create(c, $"{Mode.ToString().ToLowerInvariant()}: {Packages} packages, {Files} files, {FileBytes} bytes from {TransferredBytes} bytes in {Requests} requests{retries}{connections}; ")
            + string.Create(c, $"ttfb {TimeToFirstByte.TotalSeconds:0.000} s, transfer {Transfer.TotalSeconds:0.000} s, unpack {Unpack.TotalSeconds:0.000} s, wall {Wall.TotalSeconds:0.000} s, peak {PeakMemory / (1024 * 1024)} MiB")
            + (Kept.Count == 0 && Removed.Count == 0 ? "" : string.Create(c, $"; update: {Kept.Count} kept, {Fetched.Count} fetched, {Removed.Count} removed, {SavedBytes} bytes saved of a full load's {FullLoadBytes}"));
    }
}

/// <summary>The JSON shape of <see cref="LoadReport"/>.</summary>
internal sealed record LoadReportDocument(
    string Mode, string Location, string Target, int Packages, long Files, long FileBytes, long TransferredBytes, int Requests,
    int Retries, int? Connections, double TimeToFirstByteSeconds, double TransferSeconds, double UnpackSeconds, double WallSeconds,
    long PeakMemoryBytes, IReadOnlyList<string> Warnings, IReadOnlyList<string> Kept, IReadOnlyList<string> Fetched, IReadOnlyList<string> Removed,
    long FullLoadBytes, long SavedBytes)
{
    public static LoadReportDocument From(LoadReport r) => new(
        r.Mode.ToString().ToLowerInvariant(), r.Location, r.Target, r.Packages, r.Files, r.FileBytes, r.TransferredBytes, r.Requests,
        r.Retries, r.Connections, r.TimeToFirstByte.TotalSeconds, r.Transfer.TotalSeconds, r.Unpack.TotalSeconds, r.Wall.TotalSeconds,
        r.PeakMemory, r.Warnings, r.Kept, r.Fetched, r.Removed, r.FullLoadBytes, r.SavedBytes);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LoadReportDocument))]
internal sealed partial class LoadReportJsonContext : JsonSerializerContext;
