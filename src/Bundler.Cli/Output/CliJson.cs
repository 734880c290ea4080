using System.Text.Json.Serialization;
using Bundler.Core.Download;

namespace Bundler.Cli.Output;

/// <summary>The result of <c>pack --json</c>.</summary>
internal sealed record PackSummary(string Bundle, long BundleSize, string Integrity, string? Signature, int Packages, int Files, long FileBytes, int Frames, double Seconds, IReadOnlyList<string> Warnings, PublishSummary? Published);

/// <summary>What <c>pack --publish</c> uploaded: files written (objects that were missing, and the entry point when it changed) and their bytes.</summary>
internal sealed record PublishSummary(string Location, int Objects, int UploadedFiles, long UploadedBytes);

/// <summary>The result of <c>unpack --json</c> and <c>verify --json</c>.</summary>
internal sealed record UnpackSummary(string Bundle, string? Target, int Packages, long Files, long FileBytes, long BundleBytes, double Seconds);

/// <summary>The result of <c>download --json</c>.</summary>
internal sealed record DownloadSummary(string Cache, double Seconds, IReadOnlyList<DownloadedFile> Files);

/// <summary>One archive of <see cref="DownloadSummary"/>.</summary>
internal sealed record DownloadedFile(string Url, string Path, long Size, string Integrity, bool FromCache, long BytesTransferred, int Requests);

/// <summary>The result of <c>compare --json</c>: one row per scenario and mode.</summary>
internal sealed record CompareSummary(string Report, IReadOnlyList<CompareRow> Results);

/// <summary>One scenario and mode of <see cref="CompareSummary"/>; times in seconds; <c>LinkLimit</c>: its bytes at the link's rate after one round trip.</summary>
internal sealed record CompareRow(string Preset, string Protocol, string Mode, double Median, double Min, double Max, long Bytes, int Requests, int Connections, double? SpeedupOverFiles, double? LinkLimit);

/// <summary>The result of <c>restore-from --json</c>: the <c>id/version</c> folders added to the packages folder and those it already had, and the bytes the load moved.</summary>
internal sealed record RestoreFromSummary(string PackagesFolder, IReadOnlyList<string> Added, IReadOnlyList<string> Kept, long TransferredBytes, double Seconds);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(PackSummary))]
[JsonSerializable(typeof(PublishSummary))]
[JsonSerializable(typeof(UnpackSummary))]
[JsonSerializable(typeof(DownloadSummary))]
[JsonSerializable(typeof(CompareSummary))]
[JsonSerializable(typeof(RestoreFromSummary))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
