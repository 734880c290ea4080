using Bundler.Loader;
using Bundler.Serving.Network;

namespace Bundler.Cli.Options;

/// <summary>Reads option values written with units (durations, sizes), and words every bad value's error the same way.</summary>
internal static class OptionValues
{
    /// <summary>A duration above zero such as 30s or 500ms; <paramref name="example"/> shows one in the error.</summary>
    public static TimeSpan PositiveDuration(string option, string text, string example) =>
        NetworkUnits.TryParseDuration(text, out var duration) && duration > TimeSpan.Zero ? duration : throw Invalid(option, text, example);

    /// <summary>Bytes, or a number with K or M; a size below <paramref name="minimum"/> is refused like one that is not a size.</summary>
    public static int Size(string option, string text, int minimum = 0) =>
        ByteSize.TryParse(text, out var bytes) && bytes >= minimum
            ? bytes
            : throw new BundleException($"{option} '{text}' is not a size; use bytes, or a number with K or M.");

    public static BundleException Invalid(string option, string value, string example) =>
        new($"{option} '{value}' is not valid; write it like {example}.");
}
