namespace Bundler.Comparison.Report;

/// <summary>
/// One bar of a waterfall, in the style of a browser's network panel. Times are from the start of the run:
/// the request was sent at <see cref="Start"/>, its first byte arrived at <see cref="FirstByte"/>, its last at
/// <see cref="End"/>, and the loader finished with it at <see cref="Unpacked"/> (equal to End when nothing was left).
/// </summary>
internal sealed record WaterfallRow(string Label, TimeSpan Start, TimeSpan FirstByte, TimeSpan End, TimeSpan Unpacked, long Bytes, int Status);
