using System.CommandLine;
using System.CommandLine.Parsing;
using Bundler.Serving.Network;

namespace Bundler.Cli.Options;

/// <summary>
/// Options whose values are written with units (durations, sizes, rates): each is parsed while the command line is, so
/// that a value that is not one is a usage error (exit code 2) worded the same way for every option.
/// </summary>
internal static class OptionValues
{
    /// <summary>A duration such as 30s or 500ms (a bare number is milliseconds).</summary>
    public static Option<TimeSpan> Duration(string name, string description, string defaultText, string example)
    {
        return new Option<TimeSpan>(name)
        {
            Description = description,
            CustomParser = result => Parse<TimeSpan>(result, NetworkUnits.TryParseDuration, example, defaultText),
            DefaultValueFactory = result => Parse<TimeSpan>(result, NetworkUnits.TryParseDuration, example, defaultText),
        };
    }

    /// <summary>An optional duration, such as an override of a preset's value.</summary>
    public static Option<TimeSpan?> OptionalDuration(string name, string description, string example) =>
        new(name) { Description = description, CustomParser = result => Parse<TimeSpan>(result, NetworkUnits.TryParseDuration, example) };

    /// <summary>A size in bytes, or a number with K or M.</summary>
    public static Option<int> Size(string name, string description, string defaultText)
    {
        return new Option<int>(name)
        {
            Description = description,
            CustomParser = result => Parse<int>(result, ByteSize.TryParse, "4M, 512K or 65536", defaultText),
            DefaultValueFactory = result => Parse<int>(result, ByteSize.TryParse, "4M, 512K or 65536", defaultText),
        };
    }

    /// <summary>An optional rate in bytes per second, written like 8mbit or 2MB.</summary>
    public static Option<long?> OptionalRate(string name, string description, string example) =>
        new(name) { Description = description, CustomParser = result => Parse<long>(result, NetworkUnits.TryParseBytesPerSecond, example) };

    public static string Invalid(string option, string value, string example) => $"{option} '{value}' is not valid; write it like {example}.";

    private delegate bool TryParse<T>(string text, out T value);

    private static T Parse<T>(ArgumentResult result, TryParse<T> tryParse, string example, string defaultText = "") where T : struct
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : defaultText;
        if (tryParse(text, out var value))
        {
            return value;
        }

        result.AddError(Invalid(OptionName(result), text, example));
        return default;
    }

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
